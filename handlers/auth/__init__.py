"""The `auth` consumer group's use cases: accounts, sessions and integration tokens."""

from handlers.auth import (
    create_integration_token,
    list_integration_tokens,
    login,
    logout,
    me,
    refresh,
    register,
    revoke_integration_token,
)
from handlers.auth.sessions import Issuer
from handlers.deps import Deps
from handlers.runtime.registry import HandlerSpec
from security.passwords import Passwords


def specs(deps: Deps) -> list[HandlerSpec]:
    issuer = Issuer(deps.access_tokens, deps.settings.refresh_token_ttl_s)
    passwords = Passwords()
    return [
        register.spec(issuer, passwords),
        login.spec(issuer, passwords),
        me.spec(),
        refresh.spec(issuer),
        logout.spec(),
        create_integration_token.spec(),
        list_integration_tokens.spec(),
        revoke_integration_token.spec(),
    ]

"""`auth.login`: email and password in, a session (a new refresh family) out.

An unknown email and a wrong password get the same 401 `INVALID_CREDENTIALS` after the same
work: the password is verified against a dummy hash when there is no such user. A "command",
not a query: it issues a refresh token, an effect the operation id must not repeat.
"""

from contracts.commands.auth import Login
from contracts.envelope import Reply
from contracts.errors import DomainError, ErrorCode
from handlers.auth import accounts
from handlers.auth.sessions import Issuer, redact_tokens, replay_session, session
from handlers.runtime.context import Context
from handlers.runtime.registry import HandlerSpec
from security.passwords import Passwords
from storage.uow import Transaction


def invalid_credentials() -> DomainError:
    return DomainError(ErrorCode.INVALID_CREDENTIALS, "the email or the password is wrong")


def spec(issuer: Issuer, passwords: Passwords) -> HandlerSpec:
    async def login(cmd: Login, ctx: Context, tx: Transaction) -> Reply:
        found = await accounts.credentials(tx.conn, cmd.email)
        matches = await passwords.verify(found.password_hash if found else None, cmd.password)
        if found is None or not matches:
            raise invalid_credentials()
        user = found.user
        if passwords.needs_rehash(found.password_hash):
            new_hash = await passwords.hash(cmd.password)
            await accounts.set_password_hash(tx.conn, user.id, new_hash)
        # The password is proven: the user may now see their own memberships, then acts for one.
        await tx.act_for_user(user.id)
        member = await accounts.membership(tx.conn, user.id)
        if member is None:
            raise invalid_credentials()
        await tx.act_for_workspace(member.workspace.id)
        pair = await issuer.new_family(tx, user.id, member.workspace.id, member.role)
        return Reply.success(200, session(pair, user, member.workspace))

    return HandlerSpec(
        "auth.login",
        Login,
        login,
        auth="anonymous",
        scope=lambda cmd: f"email:{cmd.email.lower()}",
        redact=redact_tokens,
        on_replay=replay_session(issuer),
    )

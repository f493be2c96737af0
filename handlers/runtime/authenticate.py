"""Turns the `authorization` header of a command into a principal; payload fields never can."""

from collections.abc import Awaitable, Callable

from contracts.errors import DomainError, ErrorCode
from security.tokens import AccessTokens, Principal, TokenError, bearer

# Integration tokens are verified against the database by the auth service's verifier.
IntegrationVerifier = Callable[[str], Awaitable[Principal | None]]
INTEGRATION_PREFIX = "sbi_"


class Authenticator:
    def __init__(
        self, access_tokens: AccessTokens, integrations: IntegrationVerifier | None = None
    ) -> None:
        self._access = access_tokens
        self._integrations = integrations

    async def __call__(self, authorization: str | None) -> Principal:
        token = bearer(authorization)
        if token is None:
            raise DomainError(ErrorCode.UNAUTHORIZED, "a bearer token is required")
        if token.startswith(INTEGRATION_PREFIX) and self._integrations is not None:
            principal = await self._integrations(token)
            if principal is None:
                raise DomainError(ErrorCode.UNAUTHORIZED, "the integration token is not valid")
            return principal
        try:
            return self._access.verify(token)
        except TokenError as exc:
            code = ErrorCode.TOKEN_EXPIRED if exc.expired else ErrorCode.UNAUTHORIZED
            raise DomainError(code, str(exc)) from exc

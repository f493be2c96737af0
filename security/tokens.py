"""HS256 access tokens per RFC 8725: the algorithm is pinned, `typ` is explicit, `iss`/`aud` checked.

Refresh and integration tokens are opaque random strings stored hashed, so an access token can
never pass for one of them, and `typ` keeps anything else signed with our key from passing for
an access token.
"""

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Final, Literal
from uuid import UUID

import jwt

ACCESS_TYP: Final = "at+jwt"
ALGORITHM: Final = "HS256"
Role = Literal["owner", "member", "integration"]


class TokenError(Exception):
    """The token is not acceptable; `expired` separates TOKEN_EXPIRED from UNAUTHORIZED."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


@dataclass(frozen=True)
class Principal:
    user_id: UUID | None
    workspace_id: UUID
    role: Role
    token_id: str


class AccessTokens:
    def __init__(self, secret: str, issuer: str, audience: str, ttl_s: int) -> None:
        self._secret = secret
        self._issuer = issuer
        self._audience = audience
        self.ttl_s = ttl_s

    def issue(self, user_id: UUID, workspace_id: UUID, role: Role, now: float | None = None) -> str:
        issued = int(now if now is not None else time.time())
        claims = {
            "sub": str(user_id),
            "wid": str(workspace_id),
            "role": role,
            "iss": self._issuer,
            "aud": self._audience,
            "iat": issued,
            "exp": issued + self.ttl_s,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM, headers={"typ": ACCESS_TYP})

    def verify(self, token: str, *, allow_expired: bool = False) -> Principal:
        """The principal of a valid token; `allow_expired` is for operator replays only."""
        try:
            if jwt.get_unverified_header(token).get("typ") != ACCESS_TYP:
                raise TokenError("not an access token")
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                issuer=self._issuer,
                audience=self._audience,
                options={
                    "require": ["sub", "wid", "role", "iss", "aud", "iat", "exp", "jti"],
                    "verify_exp": not allow_expired,
                },
            )
            return Principal(
                user_id=UUID(claims["sub"]),
                workspace_id=UUID(claims["wid"]),
                role=_role(claims["role"]),
                token_id=str(claims["jti"]),
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenError("the access token has expired", expired=True) from exc
        except (jwt.PyJWTError, ValueError, KeyError) as exc:
            raise TokenError("the access token is not valid") from exc


def reissue(tokens: AccessTokens, token: str) -> str:
    """A fresh access token for the principal of a genuine (possibly expired) one.

    The DLQ replay re-drives a command hours after its caller's 15-minute token expired; the
    principal is still the one the signature vouches for, so the operator may act as it.
    """
    principal = tokens.verify(token, allow_expired=True)
    if principal.user_id is None:
        raise TokenError("access tokens always name a user")
    return tokens.issue(principal.user_id, principal.workspace_id, principal.role)


def _role(value: object) -> Role:
    if value in ("owner", "member"):
        return value
    raise TokenError("unknown role")


def new_opaque_token(prefix: str) -> str:
    """A random bearer secret, prefixed so its kind is visible (e.g. in a leaked-secret scan)."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def token_digest(token: str) -> str:
    """What we store instead of an opaque token: its SHA-256 (the token has 256 random bits)."""
    return hashlib.sha256(token.encode()).hexdigest()


def bearer(header: str | None) -> str | None:
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None

"""What presenting a refresh token means, as a pure function of the token's row and the time.

RFC 9700 §4.14.2 (refresh token rotation): a refresh token is good for one use. Presenting a
token that was already used means two parties hold the family (an attacker and the client),
and the server cannot tell which is legitimate, so the whole family is revoked.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from contracts.errors import DomainError, ErrorCode


class Verdict(StrEnum):
    ROTATE = "rotate"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REUSED = "reused"
    REVOKED = "revoked"


@dataclass(frozen=True)
class TokenState:
    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None


def judge(token: TokenState | None, now: datetime) -> Verdict:
    """In this order: unknown; expired (the family's absolute lifetime is over, nothing to
    protect); used (reuse, even if the family is already revoked: it is still a replayed
    secret); revoked (logout or an earlier reuse); else the token may be rotated."""
    if token is None:
        return Verdict.UNKNOWN
    if token.expires_at <= now:
        return Verdict.EXPIRED
    if token.used_at is not None:
        return Verdict.REUSED
    if token.revoked_at is not None:
        return Verdict.REVOKED
    return Verdict.ROTATE


def refusal(verdict: Verdict) -> DomainError:
    """The error a refused token gets (the caller may not learn more than this)."""
    if verdict is Verdict.EXPIRED:
        return DomainError(ErrorCode.TOKEN_EXPIRED, "the refresh token has expired; log in again")
    if verdict is Verdict.REUSED:
        return DomainError(
            ErrorCode.REFRESH_TOKEN_REUSED,
            "the refresh token was already used; its whole family is revoked, log in again",
        )
    return DomainError(ErrorCode.UNAUTHORIZED, "the refresh token is not valid")

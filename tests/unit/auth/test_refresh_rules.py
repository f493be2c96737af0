"""Which refresh token may be rotated, and what the others are told."""

from datetime import UTC, datetime, timedelta

import pytest

from contracts.errors import ErrorCode
from handlers.auth.refresh_rules import TokenState, Verdict, judge, refusal

NOW = datetime(2030, 1, 1, tzinfo=UTC)
LATER = NOW + timedelta(days=1)
EARLIER = NOW - timedelta(minutes=1)


@pytest.mark.parametrize(
    ("state", "verdict"),
    [
        (None, Verdict.UNKNOWN),
        (TokenState(LATER, None, None), Verdict.ROTATE),
        (TokenState(NOW, None, None), Verdict.EXPIRED),
        (TokenState(EARLIER, EARLIER, EARLIER), Verdict.EXPIRED),
        (TokenState(LATER, EARLIER, None), Verdict.REUSED),
        (TokenState(LATER, EARLIER, EARLIER), Verdict.REUSED),
        (TokenState(LATER, None, EARLIER), Verdict.REVOKED),
    ],
)
def test_judge(state: TokenState | None, verdict: Verdict) -> None:
    assert judge(state, NOW) is verdict


@pytest.mark.parametrize(
    ("verdict", "code"),
    [
        (Verdict.UNKNOWN, ErrorCode.UNAUTHORIZED),
        (Verdict.REVOKED, ErrorCode.UNAUTHORIZED),
        (Verdict.EXPIRED, ErrorCode.TOKEN_EXPIRED),
        (Verdict.REUSED, ErrorCode.REFRESH_TOKEN_REUSED),
    ],
)
def test_refusals(verdict: Verdict, code: ErrorCode) -> None:
    error = refusal(verdict)
    assert (error.code, error.status) == (code, 401)


def test_unknown_and_revoked_read_the_same() -> None:
    """A caller cannot tell a revoked token from one that never existed."""
    assert refusal(Verdict.UNKNOWN).message == refusal(Verdict.REVOKED).message

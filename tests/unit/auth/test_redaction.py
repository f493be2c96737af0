"""What the idempotency inbox keeps of replies that carry secrets."""

from contracts.envelope import Reply
from contracts.errors import ErrorCode
from handlers.auth.create_integration_token import redact_secret
from handlers.auth.refresh import ISSUED_DIGEST, redact_rotation
from handlers.auth.sessions import redact_tokens
from security.tokens import token_digest

SESSION = {
    "user": {"id": "u", "email": "a@example.com", "display_name": "a"},
    "workspace": {"id": "w", "name": "a"},
    "access_token": "eyJ.secret.sig",
    "refresh_token": "sbr_secret",
    "token_type": "Bearer",
    "expires_in": 900,
}


def test_sessions_are_stored_without_tokens() -> None:
    stored = redact_tokens(Reply.success(201, SESSION))
    assert stored.body == {
        k: v for k, v in SESSION.items() if k not in ("access_token", "refresh_token")
    }
    assert stored.status == 201


def test_a_rotation_is_stored_as_the_digest_of_the_issued_refresh_token() -> None:
    pair = {k: SESSION[k] for k in ("access_token", "refresh_token", "token_type", "expires_in")}
    stored = redact_rotation(Reply.success(200, pair))
    assert stored.body == {
        "token_type": "Bearer",
        "expires_in": 900,
        ISSUED_DIGEST: token_digest("sbr_secret"),
    }


def test_integration_tokens_are_stored_without_the_secret() -> None:
    body = {"id": "i", "name": "ci", "token": "sbi_secret", "created_at": "2030-01-01T00:00:00Z"}
    assert redact_secret(Reply.success(201, body)).body == {
        "id": "i",
        "name": "ci",
        "created_at": "2030-01-01T00:00:00Z",
    }


def test_errors_and_empty_replies_pass_unchanged() -> None:
    failure = Reply.failure(ErrorCode.REFRESH_TOKEN_REUSED, "reused")
    for redact in (redact_tokens, redact_rotation, redact_secret):
        assert redact(failure) == failure
        assert redact(Reply.success(204)) == Reply.success(204)

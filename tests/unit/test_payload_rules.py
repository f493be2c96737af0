"""Rules every command payload shares (contracts/commands/common.py `Payload`)."""

import uuid

import pytest
from pydantic import ValidationError

from contracts.commands.conversations import CreateThread, RunTurn
from contracts.commands.webhooks import CreateWebhookSecret


@pytest.mark.parametrize(
    ("model", "payload", "field"),
    [
        (CreateThread, {"bot_id": str(uuid.uuid4()), "title": "a\x00b"}, "title"),
        (RunTurn, {"thread_id": str(uuid.uuid4()), "content": "\x00"}, "content"),
        (CreateWebhookSecret, {"source": "x\x00"}, "source"),
    ],
)
def test_a_nul_character_anywhere_is_refused_naming_the_field(
    model: type[CreateThread], payload: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        model.model_validate(payload)
    assert [error["loc"] for error in refused.value.errors()] == [(field,)]
    assert "NUL" in refused.value.errors()[0]["msg"]

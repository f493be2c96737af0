"""The bots payload models: limits, trimming, and what Postgres could not store."""

import uuid
from typing import Any

import pytest
from pydantic import ValidationError

from contracts.commands.bots import (
    MAX_CONFIG_BYTES,
    MAX_VERSION_NUMBER,
    CreateBot,
    GetVersion,
    SetInstruction,
    UpdateBot,
    check_config,
    contains_nul,
)

BOT_ID = str(uuid.uuid4())


def error_fields(exc: ValidationError) -> list[str]:
    return [".".join(str(p) for p in e["loc"]) for e in exc.errors()]


def config_of_size(size: int) -> dict[str, Any]:
    return {"k": "x" * (size - len('{"k":""}'))}


def test_a_config_of_exactly_64_kib_passes_and_one_byte_more_fails() -> None:
    assert check_config(config_of_size(MAX_CONFIG_BYTES)) == config_of_size(MAX_CONFIG_BYTES)
    with pytest.raises(ValueError, match="65537 bytes"):
        check_config(config_of_size(MAX_CONFIG_BYTES + 1))


def test_a_config_size_counts_utf8_bytes_not_characters() -> None:
    euros = {"k": "€" * (MAX_CONFIG_BYTES // 3)}  # 3 bytes each: over the limit in bytes
    with pytest.raises(ValueError, match="bytes as JSON"):
        check_config(euros)


def test_a_config_nested_beyond_what_json_encoding_allows_is_a_value_error() -> None:
    deep: dict[str, Any] = {}
    for _ in range(300):
        deep = {"d": deep}
    with pytest.raises(ValueError, match="not serializable"):
        check_config(deep)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", False),
        ("a\x00b", True),
        ({"k\x00": 1}, True),
        ({"k": ["ok", {"deep": "\x00"}]}, True),
        ({"k": [1, 2.5, None, True, {"s": "fine"}]}, False),
    ],
)
def test_nul_characters_are_found_anywhere_in_a_json_value(value: Any, expected: bool) -> None:
    assert contains_nul(value) is expected


def test_create_trims_the_name_and_defaults_the_rest() -> None:
    cmd = CreateBot.model_validate({"name": "  Helper \n"})
    assert (cmd.name, cmd.description, cmd.instruction) == ("Helper", "", "")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": " \t "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "ok", "description": "x" * 2001}, "description"),
        ({"name": "ok", "instruction": "x" * 100_001}, "instruction"),
        ({"name": "ok", "description": "\x00"}, "description"),
        ({"name": "ok", "workspace_id": BOT_ID}, "workspace_id"),
    ],
)
def test_create_refuses(payload: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        CreateBot.model_validate(payload)
    assert error_fields(caught.value) == [field]


def test_update_needs_a_field_to_change() -> None:
    with pytest.raises(ValidationError, match="at least one of name, description"):
        UpdateBot.model_validate({"bot_id": BOT_ID, "name": None})
    assert UpdateBot.model_validate({"bot_id": BOT_ID, "description": ""}).description == ""


def test_an_omitted_config_stays_none_so_the_current_one_is_kept() -> None:
    cmd = SetInstruction.model_validate({"bot_id": BOT_ID, "instruction": "x"})
    assert cmd.config is None
    assert SetInstruction.model_validate(cmd.model_dump(mode="json", exclude_unset=True)) == cmd


@pytest.mark.parametrize("number", [0, -1, MAX_VERSION_NUMBER + 1, "two"])
def test_a_version_number_must_be_a_positive_int4(number: object) -> None:
    with pytest.raises(ValidationError) as caught:
        GetVersion.model_validate({"bot_id": BOT_ID, "number": number})
    assert error_fields(caught.value) == ["number"]


def test_a_version_number_from_a_path_is_parsed() -> None:
    assert GetVersion.model_validate({"bot_id": BOT_ID, "number": "12"}).number == 12

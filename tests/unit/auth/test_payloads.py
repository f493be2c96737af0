"""The auth payloads: what the gateway and the handlers accept."""

from typing import Any

import pytest
from pydantic import ValidationError

from contracts.commands.auth import Login, Register

PASSWORD = "long-enough"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Ada@Example.com", "ada@example.com"),
        ("  ada@example.com ", "ada@example.com"),
        ("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("x@xn--bcher-kva.example", "x@xn--bcher-kva.example"),
    ],
)
def test_emails_are_normalised_to_lower_case(given: str, stored: str) -> None:
    assert Register(email=given, password=PASSWORD).email == stored


@pytest.mark.parametrize(
    "email",
    [
        "",
        "plain",
        "@example.com",
        "ada@",
        "ada@example",
        "ada@@example.com",
        "ada@exa mple.com",
        ".ada@example.com",
        "ada.@example.com",
        "a..da@example.com",
        "ada@-example.com",
        "ada@example.c",
        "ädä@example.com",
        "a" * 65 + "@example.com",
        "ada@" + "a" * 250 + ".com",
    ],
)
def test_bad_emails_are_refused(email: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Register(email=email, password=PASSWORD)
    assert [e["loc"] for e in raised.value.errors()] == [("email",)]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"password": "7chars!"}, "password"),
        ({"password": "x" * 129}, "password"),
        ({"workspace_name": " "}, "workspace_name"),
        ({"display_name": "d" * 201}, "display_name"),
        ({"workspace_id": "00000000-0000-0000-0000-000000000000"}, "workspace_id"),
    ],
)
def test_register_limits(extra: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Register.model_validate({"email": "ada@example.com", "password": PASSWORD, **extra})
    assert [e["loc"][0] for e in raised.value.errors()] == [field]


def test_names_are_trimmed() -> None:
    cmd = Register(email="ada@example.com", password=PASSWORD, workspace_name="  Acme ")
    assert cmd.workspace_name == "Acme"


def test_passwords_are_taken_as_given() -> None:
    assert Register(email="a@example.com", password="  spaced  ").password == "  spaced  "


def test_login_accepts_a_short_password_it_will_simply_refuse() -> None:
    assert Login(email="a@example.com", password="x").password == "x"

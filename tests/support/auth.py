"""Real accounts for tests of any service: `account = await register(api)`.

    account = await register(api)
    await api.get("/v1/auth/me", headers=account["headers"])
    caller = as_caller(account)          # for `send_command(bus, settings, ..., caller)`

Unlike `mint_caller`, the user, workspace and membership exist in the database.
"""

import uuid
from typing import Any
from uuid import UUID

from aiohttp import ClientSession

from tests.support.callers import Caller

PASSWORD = "correct-horse-battery-staple"


def new_email() -> str:
    return f"user-{uuid.uuid4().hex[:12]}@example.com"


async def register(
    api: ClientSession, email: str | None = None, password: str = PASSWORD, **fields: Any
) -> dict[str, Any]:
    """Register through the gateway; the 201 body plus `email`, `password` and `headers`
    (`{"Authorization": "Bearer <access token>"}`). `fields`: workspace_name, display_name."""
    email = email or new_email()
    response = await api.post(
        "/v1/auth/register", json={"email": email, "password": password, **fields}
    )
    assert response.status == 201, await response.text()
    body: dict[str, Any] = await response.json()
    return {
        **body,
        "email": email,
        "password": password,
        "headers": {"Authorization": f"Bearer {body['access_token']}"},
    }


def as_caller(account: dict[str, Any]) -> Caller:
    """The registered owner as a `Caller` (its access token as the authorization)."""
    return Caller(
        user_id=UUID(account["user"]["id"]),
        workspace_id=UUID(account["workspace"]["id"]),
        role="owner",
        token=account["access_token"],
    )

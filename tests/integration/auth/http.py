"""Small helpers shared by the auth tests."""

from typing import Any

from aiohttp import ClientResponse, ClientSession
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.schema.spine import audit_log


async def json_of(response: ClientResponse, status: int) -> Any:
    assert response.status == status, await response.text()
    return await response.json()


async def error_of(response: ClientResponse, status: int, code: str) -> dict[str, Any]:
    """The error body, after checking status and code."""
    body: dict[str, Any] = await json_of(response, status)
    assert body["code"] == code, body
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def login(api: ClientSession, email: str, password: str, **headers: str) -> ClientResponse:
    return await api.post(
        "/v1/auth/login", json={"email": email, "password": password}, headers=headers
    )


async def refresh(api: ClientSession, token: str, **headers: str) -> ClientResponse:
    return await api.post("/v1/auth/refresh", json={"refresh_token": token}, headers=headers)


async def audit_rows(db: AsyncEngine, workspace_id: str) -> list[Any]:
    async with db.connect() as conn:
        result = await conn.execute(
            select(audit_log)
            .where(audit_log.c.workspace_id == workspace_id)
            .order_by(audit_log.c.created_at)
        )
        return list(result.all())

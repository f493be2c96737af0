"""The mixed load: each virtual user registers, then creates bots, versions, threads, turns."""

import asyncio
import itertools
import uuid

import aiohttp

from deploy.chaos.client import Ledger, PatientClient


async def run_users(base_url: str, users: int, until: float, ledger: Ledger) -> None:
    connector = aiohttp.TCPConnector(limit=users * 2)
    async with aiohttp.ClientSession(base_url, connector=connector) as session:
        await asyncio.gather(*(_user(PatientClient(session, ledger), until) for _ in range(users)))


async def _user(client: PatientClient, until: float) -> None:
    email = f"chaos-{uuid.uuid4().hex[:12]}@example.com"
    session = await client.mutate(
        "register", "POST", "/v1/auth/register", {"email": email, "password": "chaos-password-1"}
    )
    if session is None:
        return
    client.token, client.workspace_id = session["access_token"], session["workspace"]["id"]
    loop = asyncio.get_running_loop()
    for round_ in itertools.count():
        if loop.time() >= until:
            return
        await _round(client, round_)


async def _round(client: PatientClient, round_: int) -> None:
    bot = await client.mutate(
        "bot", "POST", "/v1/bots", {"name": f"bot {round_}", "instruction": "hi"}
    )
    if bot is None:
        return
    await client.mutate(
        "version", "PUT", f"/v1/bots/{bot['id']}/instruction", {"instruction": f"v{round_}"}
    )
    thread = await client.mutate(
        "thread", "POST", "/v1/conversations/threads", {"bot_id": bot["id"]}
    )
    if thread is None:
        return
    for n in range(3):
        await client.mutate(
            "turn",
            "POST",
            f"/v1/conversations/threads/{thread['id']}/turn",
            {"content": f"say {n}"},
        )

"""The example integration, run as a user would run it, against the session's stack."""

import asyncio
import sys

from aiohttp import ClientSession

from config.settings import Settings
from tests.support.auth import register
from tests.support.stack import ROOT, HandlerProcesses, settings_env


async def test_the_example_integration_creates_and_lists_a_bot_over_kafka(
    api: ClientSession, settings: Settings, handlers: HandlerProcesses
) -> None:
    account = await register(api)
    minted = await api.post(
        "/v1/auth/integration-tokens", json={"name": "example"}, headers=account["headers"]
    )
    assert minted.status == 201
    env = {
        **settings_env(settings),
        "SWITCHBOARD_INTEGRATION_TOKEN": (await minted.json())["token"],
        "SWITCHBOARD_WORKSPACE_ID": account["workspace"]["id"],
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "deploy.examples.integration",
        "Kafka-made bot",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out = (await proc.communicate())[0].decode()
    assert proc.returncode == 0, out
    assert "bots.create -> 201" in out
    assert "bots.list -> 200 ['Kafka-made bot']" in out
    listed = await (await api.get("/v1/bots", headers=account["headers"])).json()
    assert [bot["name"] for bot in listed["items"]] == ["Kafka-made bot"]

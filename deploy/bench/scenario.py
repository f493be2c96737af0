"""The mixed scenario of one virtual user (the spec's U1, U3, U5 and U10, over and over).

A user first sets up: registers (an email unique to the run), creates a bot, opens a thread.
Then it loops without think time over a mix dominated by turns and reads: each step picks one
action by weight. Users are closed-loop, so throughput is users / latency: a slow stack shows up as
fewer requests, never as a growing queue in the harness.
"""

import asyncio
import random
import time
from collections.abc import Awaitable, Callable

from deploy.bench.client import Caller, CallFailed, expect

REGISTER = "/v1/auth/register"
BOTS = "/v1/bots"
BOT = "/v1/bots/{id}"
INSTRUCTION = "/v1/bots/{id}/instruction"
THREADS = "/v1/conversations/threads"
TURN = "/v1/conversations/threads/{id}/turn"
MESSAGES = "/v1/conversations/threads/{id}/messages"

# Action weights of the loop, in percent; the report repeats them.
MIX: dict[str, int] = {
    "turn": 40,
    "list_messages": 30,
    "get_bot": 15,
    "set_instruction": 10,
    "open_thread": 5,
}
PASSWORD = "bench-password-1"
# About the size of a real chat message; the echo model answers with it.
TURN_TEXT = "Could you summarise the three main risks in the plan we discussed, in two sentences?"
# After a failed call: enough to not hammer a broken stack, short enough to not hide recovery.
BACKOFF_S = 0.2


class VirtualUser:
    def __init__(self, caller: Caller, email: str, rng: random.Random) -> None:
        self.caller = caller
        self._email = email
        self._rng = rng
        self._bot_id = ""
        self._thread_id = ""
        self._steps = 0
        # Set-up steps keep their operation id across retries, as a careful client does: a
        # register that timed out but went through is replayed, not refused as EMAIL_TAKEN.
        self._setup_ops = {step: caller.new_operation() for step in ("register", "bot", "thread")}
        self._actions: dict[str, Callable[[], Awaitable[None]]] = {
            "turn": self._turn,
            "list_messages": self._list_messages,
            "get_bot": self._get_bot,
            "set_instruction": self._set_instruction,
            "open_thread": self._open_thread,
        }

    @property
    def ready(self) -> bool:
        return bool(self._thread_id)

    async def set_up(self, until: float) -> None:
        """Register, create a bot, open a thread; retried until done or `until`."""
        while not self.ready and time.monotonic() < until:
            try:
                await self._set_up_once()
            except CallFailed:
                await asyncio.sleep(BACKOFF_S)

    async def run(self, until: float) -> None:
        """Loop over the mix until `until`; failures are counted, not raised."""
        while self.ready and time.monotonic() < until:
            try:
                await self._step()
            except CallFailed:
                await asyncio.sleep(BACKOFF_S)

    async def _set_up_once(self) -> None:
        if self.caller.token is None:
            body = {"email": self._email, "password": PASSWORD, "workspace_name": "bench"}
            answer = await self.caller.call(
                "POST", REGISTER, json=body, operation=self._setup_ops["register"]
            )
            self.caller.token = expect(answer, 201, "register")["access_token"]
        if not self._bot_id:
            body = {"name": "bench bot", "instruction": "Answer briefly."}
            answer = await self.caller.call(
                "POST", BOTS, json=body, operation=self._setup_ops["bot"]
            )
            self._bot_id = expect(answer, 201, "create bot")["id"]
        await self._open_thread(self._setup_ops["thread"])

    async def _step(self) -> None:
        self._steps += 1
        action = self._rng.choices(list(MIX), weights=list(MIX.values()))[0]
        await self._actions[action]()

    async def _turn(self) -> None:
        body = {"content": f"{TURN_TEXT} ({self._steps})"}
        await self._call_expecting("POST", TURN, self._thread_id, 200, body)

    async def _list_messages(self) -> None:
        await self._call_expecting("GET", MESSAGES, self._thread_id, 200)

    async def _get_bot(self) -> None:
        await self._call_expecting("GET", BOT, self._bot_id, 200)

    async def _set_instruction(self) -> None:
        body = {"instruction": f"Answer briefly. Revision {self._steps}."}
        await self._call_expecting("PUT", INSTRUCTION, self._bot_id, 200, body)

    async def _open_thread(self, operation: str = "") -> None:
        body = {"bot_id": self._bot_id, "title": f"bench thread {self._steps}"}
        answer = await self.caller.call("POST", THREADS, json=body, operation=operation)
        self._thread_id = expect(answer, 201, "open thread")["id"]

    async def _call_expecting(
        self, method: str, route: str, id: str, status: int, body: object = None
    ) -> None:
        expect(await self.caller.call(method, route, id=id, json=body), status, route)

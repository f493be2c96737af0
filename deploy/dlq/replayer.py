"""Re-drives a dead letter to its original topic, as it was, and waits for the handler's answer.

The record keeps its key (same partition, same order), payload and operation id, so a command
that had in fact succeeded is answered from the inbox with no second effect. The dead-letter
headers are dropped, a fresh correlation id and our reply topic added, and an expired access
token is re-issued for the same principal (see `security.tokens.reissue`).
"""

import contextlib

from contracts.envelope import Header
from deploy.dlq.letters import DeadLetter
from deploy.dlq.replay_log import Outcome, ReplayLog
from gateway.bus_client import BusClient, ReplyTimeout
from security.tokens import AccessTokens, TokenError, bearer, reissue

REPLAY_OF = "x-replay-of"


class Replayer:
    def __init__(self, bus: BusClient, log: ReplayLog, tokens: AccessTokens) -> None:
        self._bus = bus
        self._log = log
        self._tokens = tokens

    async def replay(self, letter: DeadLetter, force: bool = False) -> Outcome:
        if not await self._log.claim(letter, force):
            return Outcome("skipped", None)
        try:
            reply = await self._bus.request_raw(
                letter.original_topic, letter.value, letter.key, self.headers(letter)
            )
            result = Outcome("ok" if reply.ok else "error", reply.status)
        except ReplyTimeout:
            result = Outcome("no_reply", None)
        await self._log.finish(letter, result)
        return result

    def headers(self, letter: DeadLetter) -> dict[str, str]:
        headers = {
            k: v
            for k, v in letter.headers.items()
            if not k.startswith("x-") and k not in (Header.CORRELATION_ID, Header.REPLY_TO)
        }
        headers[REPLAY_OF] = letter.id
        token = bearer(headers.get(Header.AUTHORIZATION))
        if token is not None and token.count(".") == 2:
            # A forged or foreign token stays as it was, and the handler refuses it.
            with contextlib.suppress(TokenError):
                headers[Header.AUTHORIZATION] = f"Bearer {reissue(self._tokens, token)}"
        return headers

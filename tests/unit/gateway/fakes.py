"""Stand-ins for the gateway's two adapters: the bus and the rate limiter."""

from dataclasses import dataclass, field

from contracts.envelope import Envelope, Reply
from storage.rate_limit import Decision, Limit


@dataclass
class FakeBus:
    """Answers every command with `reply`, or raises `error`; records what was sent."""

    reply: Reply = field(default_factory=lambda: Reply.success(200, {"ok": True}))
    error: Exception | None = None
    sent: list[tuple[str, Envelope, str | None, str | None]] = field(default_factory=list)

    async def request(
        self, topic: str, envelope: Envelope, key: str | None, authorization: str | None
    ) -> Reply:
        self.sent.append((topic, envelope, key, authorization))
        if self.error is not None:
            raise self.error
        return self.reply


@dataclass
class FakeLimiter:
    """Allows `allowance` requests per key, then refuses with a 2.5 s wait."""

    allowance: int = 1_000_000
    counts: dict[str, int] = field(default_factory=dict)

    async def hit(self, key: str, limit: Limit) -> Decision:
        self.counts[key] = self.counts.get(key, 0) + 1
        left = self.allowance - self.counts[key]
        return Decision(
            allowed=left >= 0, remaining=max(left, 0), retry_after_ms=2500, reset_ms=1000
        )

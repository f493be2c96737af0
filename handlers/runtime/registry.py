"""Handler specs: how the runtime runs each command type.

`mode` picks the transaction shape:
- "command": the runtime opens one transaction, claims the operation id in the inbox, runs the
  use case, stores its reply and commits: effect, audit and reply are atomic.
- "query": one read transaction, no inbox.
- "custom": the use case gets the unit of work and owns its transactions (a turn calling a
  slow model must not hold a transaction open); it is then responsible for idempotency.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from contracts.envelope import Reply
from handlers.runtime.context import Context
from storage.uow import Transaction, UnitOfWork

Auth = Literal["user", "owner", "anonymous"]
TxHandler = Callable[[Any, Context, Transaction], Awaitable[Reply]]
CustomHandler = Callable[[Any, Context, UnitOfWork], Awaitable[Reply]]


@dataclass(frozen=True)
class HandlerSpec:
    command_type: str
    payload: type[BaseModel]
    handler: TxHandler | CustomHandler
    mode: Literal["command", "query", "custom"] = "command"
    auth: Auth = "user"
    # Idempotency scope of an anonymous command (e.g. the email for register); authenticated
    # commands are scoped to their workspace.
    scope: Callable[[Any], str] | None = None
    # Secrets never reach the inbox: `redact` strips them from the reply before it is stored,
    # `on_replay` rebuilds a replayed reply (fresh tokens for a replayed register/login).
    redact: Callable[[Reply], Reply] | None = None
    on_replay: Callable[[Reply, Context, Transaction], Awaitable[Reply]] | None = None


class Registry:
    def __init__(self, specs: list[HandlerSpec]) -> None:
        self._specs: dict[str, HandlerSpec] = {}
        for spec in specs:
            if spec.command_type in self._specs:
                raise ValueError(f"two handlers for {spec.command_type}")
            self._specs[spec.command_type] = spec

    def get(self, command_type: str) -> HandlerSpec | None:
        return self._specs.get(command_type)

    def types(self) -> list[str]:
        return sorted(self._specs)

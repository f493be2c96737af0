"""Command payload models, one module per service; `PAYLOADS` maps each command type to its model.

A payload is the HTTP body plus path and query parameters by name; the gateway validates it
with the same model the handler uses, so bad input is refused before it reaches the bus.
"""

from pydantic import BaseModel

from contracts.commands.system import Ping

PAYLOADS: dict[str, type[BaseModel]] = {
    "auth.ping": Ping,
    "bots.ping": Ping,
    "conversations.ping": Ping,
}

"""Command payload models, one module per service; `PAYLOADS` maps each command type to its model.

A payload is the HTTP body plus path and query parameters by name; the gateway validates it
with the same model the handler uses, so bad input is refused before it reaches the bus.
"""

from pydantic import BaseModel

from contracts.commands import analytics, auth, bots, conversations, system, webhooks

PAYLOADS: dict[str, type[BaseModel]] = {
    **system.PAYLOADS,
    **auth.PAYLOADS,
    **bots.PAYLOADS,
    **conversations.PAYLOADS,
    **webhooks.PAYLOADS,
    **analytics.PAYLOADS,
}

"""Every table, on one `metadata` (Alembic's target); one module per service."""

from storage.schema import auth, bots, conversations, events, operations, spine, webhooks
from storage.schema.base import metadata

__all__ = [
    "auth",
    "bots",
    "conversations",
    "events",
    "metadata",
    "operations",
    "spine",
    "webhooks",
]

"""Every table, on one `metadata` (Alembic's target); one module per service."""

from storage.schema import spine
from storage.schema.base import metadata

__all__ = ["metadata", "spine"]

"""The vector store port: points (an id, a vector, a payload) kept per workspace.

Every point carries its workspace, and every search and delete is filtered by it: a tenant can
neither find nor remove another tenant's vectors, whatever ids it names.
"""

from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID


@dataclass(frozen=True)
class VectorPoint:
    id: UUID
    workspace_id: UUID
    vector: list[float]
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VectorHit:
    id: UUID
    score: float
    payload: dict[str, Any]


class VectorStoreHeld(RuntimeError):
    """The embedded store's directory is open in another process (one at a time)."""


class VectorStore(Protocol):
    backend: str  # "embedded" or "qdrant"
    location: str

    async def ensure_collection(self) -> None:
        """Create the collection (cosine distance, the configured size) if missing."""

    async def describe(self) -> str:
        """Raises unless the collection exists with the configured size; says what it found."""

    async def upsert(self, points: list[VectorPoint]) -> None: ...

    async def search(self, workspace_id: UUID, vector: list[float], limit: int) -> list[VectorHit]:
        """The workspace's nearest points, best first."""

    async def delete(self, workspace_id: UUID, ids: list[UUID]) -> None:
        """Remove the workspace's points among `ids`; others' and missing ones are untouched."""

    async def close(self) -> None: ...

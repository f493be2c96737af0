"""Vectors in Qdrant: a server (compose), or embedded on disk (qdrant-client's local mode).

Embedded mode keeps its data in a directory that one client, in one process, may open at a
time (qdrant-client locks it). Nothing holds it while the platform runs: `switchboard init`
and `infra check` open it briefly and close it. A future owner (a group serving retrieval)
would own it the way the analytics group owns chDB, or use the server.
"""

from typing import Any
from uuid import UUID

from qdrant_client import AsyncQdrantClient, models

from storage.blobs.vectors import VectorHit, VectorPoint, VectorStoreHeld

WORKSPACE = "workspace_id"


class QdrantVectors:
    def __init__(
        self, client: AsyncQdrantClient, backend: str, location: str, collection: str, size: int
    ) -> None:
        self._client = client
        self._collection = collection
        self._size = size
        self.backend = backend
        self.location = f"{location}, collection {collection}"

    @classmethod
    def embedded(cls, path: str, collection: str, size: int) -> "QdrantVectors":
        try:
            client = AsyncQdrantClient(path=path)
        except RuntimeError as exc:  # "... already accessed by another instance ..."
            raise VectorStoreHeld(f"embedded Qdrant at {path} is open in another process") from exc
        return cls(client, "embedded", f"Qdrant local mode, directory {path}", collection, size)

    @classmethod
    def server(cls, url: str, api_key: str, collection: str, size: int) -> "QdrantVectors":
        client = AsyncQdrantClient(url=url, api_key=api_key or None)
        return cls(client, "qdrant", f"Qdrant server {url}", collection, size)

    async def ensure_collection(self) -> None:
        if await self._client.collection_exists(self._collection):
            await self.describe()  # refuses a collection of another size
            return
        await self._client.create_collection(
            self._collection,
            vectors_config=models.VectorParams(size=self._size, distance=models.Distance.COSINE),
        )
        if self.backend == "qdrant":  # local mode has no payload indexes (and warns)
            await self._client.create_payload_index(
                self._collection, WORKSPACE, models.PayloadSchemaType.KEYWORD
            )

    async def describe(self) -> str:
        if not await self._client.collection_exists(self._collection):
            raise RuntimeError(f"collection {self._collection} is missing (run `switchboard init`)")
        info = await self._client.get_collection(self._collection)
        params = info.config.params.vectors
        size = params.size if isinstance(params, models.VectorParams) else None
        if size != self._size:
            raise RuntimeError(f"collection {self._collection} has size {size}, not {self._size}")
        return f"{size} dimensions, cosine"

    async def upsert(self, points: list[VectorPoint]) -> None:
        structs = [
            models.PointStruct(
                id=str(p.id), vector=p.vector, payload={**p.payload, WORKSPACE: str(p.workspace_id)}
            )
            for p in points
        ]
        await self._client.upsert(self._collection, points=structs, wait=True)

    async def search(self, workspace_id: UUID, vector: list[float], limit: int) -> list[VectorHit]:
        found = await self._client.query_points(
            self._collection,
            query=vector,
            query_filter=models.Filter(must=[_owned_by(workspace_id)]),
            limit=limit,
        )
        return [VectorHit(UUID(str(p.id)), p.score, _payload(p.payload)) for p in found.points]

    async def delete(self, workspace_id: UUID, ids: list[UUID]) -> None:
        selector = models.Filter(
            must=[models.HasIdCondition(has_id=[str(i) for i in ids]), _owned_by(workspace_id)]
        )
        await self._client.delete(
            self._collection, points_selector=models.FilterSelector(filter=selector), wait=True
        )

    async def close(self) -> None:
        await self._client.close()


def _owned_by(workspace_id: UUID) -> models.FieldCondition:
    return models.FieldCondition(key=WORKSPACE, match=models.MatchValue(value=str(workspace_id)))


def _payload(payload: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (payload or {}).items() if k != WORKSPACE}

"""Embedded Qdrant, for real: a collection of the configured size, per-workspace points, and
the one-process-at-a-time rule of its directory."""

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from config.settings import Settings
from storage.blobs import VectorPoint, VectorStore, VectorStoreHeld, open_vectors


@pytest.fixture
def vector_settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(update={"qdrant_path": str(tmp_path), "vector_size": 4})


@pytest.fixture
async def vectors(vector_settings: Settings) -> AsyncIterator[VectorStore]:
    store = open_vectors(vector_settings)
    await store.ensure_collection()
    yield store
    await store.close()


async def test_search_finds_the_nearest_points_of_one_workspace_only(vectors: VectorStore) -> None:
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    near, far, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await vectors.upsert(
        [
            VectorPoint(near, mine, [1.0, 0.1, 0.0, 0.0], {"doc": "near"}),
            VectorPoint(far, mine, [0.0, 0.0, 1.0, 0.0], {"doc": "far"}),
            VectorPoint(other, theirs, [1.0, 0.0, 0.0, 0.0], {"doc": "theirs"}),
        ]
    )
    hits = await vectors.search(mine, [1.0, 0.0, 0.0, 0.0], limit=5)
    assert [h.id for h in hits] == [near, far]
    assert hits[0].payload == {"doc": "near"}
    assert hits[0].score > hits[1].score


async def test_delete_removes_only_the_callers_points(vectors: VectorStore) -> None:
    mine, theirs, point = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await vectors.upsert([VectorPoint(point, theirs, [0.0, 1.0, 0.0, 0.0])])
    await vectors.delete(mine, [point])  # another workspace naming the id: nothing happens
    assert [h.id for h in await vectors.search(theirs, [0.0, 1.0, 0.0, 0.0], 1)] == [point]
    await vectors.delete(theirs, [point])
    assert await vectors.search(theirs, [0.0, 1.0, 0.0, 0.0], 1) == []


async def test_the_collection_is_made_once_with_the_configured_size(
    vectors: VectorStore, vector_settings: Settings
) -> None:
    await vectors.ensure_collection()
    assert await vectors.describe() == "4 dimensions, cosine"
    assert vectors.backend == "embedded"
    assert (
        str(Path(vector_settings.qdrant_path) / vector_settings.store_namespace) in vectors.location
    )


async def test_a_second_opener_is_refused_while_the_directory_is_held(
    vectors: VectorStore, vector_settings: Settings
) -> None:
    # qdrant-client locks the directory; in another process the same lock refuses the open.
    with pytest.raises(VectorStoreHeld, match="another process"):
        open_vectors(vector_settings)


async def test_a_store_of_another_size_is_refused(vector_settings: Settings) -> None:
    store = open_vectors(vector_settings)
    try:
        await store.ensure_collection()
    finally:
        await store.close()
    resized = open_vectors(vector_settings.model_copy(update={"vector_size": 8}))
    try:
        with pytest.raises(RuntimeError, match="size 4, not 8"):
            await resized.ensure_collection()
    finally:
        await resized.close()

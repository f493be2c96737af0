"""The filesystem object store, for real: the local default behind the same port as S3."""

import os
from pathlib import Path

import pytest

from config.settings import Settings
from storage.blobs import ObjectNotFound, ObjectStore, open_objects
from storage.blobs.keys import InvalidKey


@pytest.fixture
async def objects(settings: Settings, tmp_path: Path) -> ObjectStore:
    store = open_objects(settings.model_copy(update={"objects_path": str(tmp_path)}))
    await store.ensure_bucket()
    return store


async def test_put_get_exists_delete(objects: ObjectStore) -> None:
    assert objects.backend == "filesystem"
    await objects.put("ws/1/report.txt", b"first")
    await objects.put("ws/1/report.txt", b"second")  # replaced whole
    assert await objects.get("ws/1/report.txt") == b"second"
    assert await objects.exists("ws/1/report.txt")
    await objects.delete("ws/1/report.txt")
    await objects.delete("ws/1/report.txt")  # deleting what is gone is fine
    assert not await objects.exists("ws/1/report.txt")
    with pytest.raises(ObjectNotFound):
        await objects.get("ws/1/report.txt")


async def test_a_prefix_is_not_an_object(objects: ObjectStore) -> None:
    await objects.put("a/b/c", b"x")
    assert not await objects.exists("a/b")
    with pytest.raises(ObjectNotFound):
        await objects.get("a/b")


async def test_keys_cannot_leave_the_bucket(objects: ObjectStore, tmp_path: Path) -> None:
    for key in ("../outside", "a/../../outside", "/etc/passwd"):
        with pytest.raises(InvalidKey):
            await objects.put(key, b"x")
    assert not (tmp_path / "outside").exists()


async def test_the_bucket_is_made_by_init_and_named_for_the_namespace(
    settings: Settings, tmp_path: Path
) -> None:
    store = open_objects(settings.model_copy(update={"objects_path": str(tmp_path)}))
    assert not await store.bucket_exists()
    with pytest.raises(FileNotFoundError, match="switchboard init"):
        await store.put("k", b"v")
    await store.ensure_bucket()
    await store.ensure_bucket()
    assert await store.bucket_exists()
    assert os.listdir(tmp_path) == [f"switchboard-{settings.store_namespace}"]

"""`switchboard init`, the stores part: analytics tables, the bucket, the vector collection.

Idempotent, like the rest of init. An embedded analytics store that the running `analytics`
group holds open is left to it (no second process may open it; the group creates its tables
on start); a store that nobody holds is opened here, prepared and closed again.
"""

from config.settings import Settings
from storage.analytics import open_store, store_location
from storage.analytics.factory import chdb_directory
from storage.analytics.ownership import held_elsewhere
from storage.blobs import open_objects, open_vectors


async def init_analytics(settings: Settings) -> str:
    where = store_location(settings)
    if settings.analytics_backend == "chdb" and held_elsewhere(chdb_directory(settings)):
        return f"{where}: held by the running analytics group, which creates its tables on start"
    store = await open_store(settings, migrate=True)
    try:
        return f"{where}: {await store.ping()}"
    finally:
        await store.close()


async def init_objects(settings: Settings) -> str:
    objects = open_objects(settings)
    await objects.ensure_bucket()
    return f"{objects.backend}: {objects.location}: bucket ready"


async def init_vectors(settings: Settings) -> str:
    vectors = open_vectors(settings)
    try:
        await vectors.ensure_collection()
        return f"{vectors.backend}: {vectors.location}: ready ({await vectors.describe()})"
    finally:
        await vectors.close()


async def init_stores(settings: Settings) -> list[tuple[str, str]]:
    return [
        ("analytics", await init_analytics(settings)),
        ("objects", await init_objects(settings)),
        ("vectors", await init_vectors(settings)),
    ]

"""The analytics store of this process, opened (and migrated) on first use, not at import.

Building the registry must do no I/O (tests and tools build every group's registry), so the
handlers hold this handle and the store opens when the first command needs it. The sink has a
handle of its own: on chDB both share the process's one embedded engine, on a server they are
two connection pools.
"""

import asyncio

from config.settings import Settings
from storage.analytics import AnalyticsStore, open_store


class StoreHandle:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._store: AnalyticsStore | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> AnalyticsStore:
        if self._store is None:
            async with self._lock:
                if self._store is None:
                    self._store = await open_store(self._settings)
        return self._store

    async def close(self) -> None:
        if self._store is not None:
            store, self._store = self._store, None
            await store.close()

"""chDB: the ClickHouse engine inside this process, its data in a directory of its own.

One process at a time: the engine locks `<path>/status` (flock) for as long as it runs, and a
process can run one embedded engine, bound to the first directory it opened, for its whole
life. The `analytics` group owns its directory; `switchboard init` and `infra check` open it
only when `held_elsewhere` says no process does (otherwise they leave it alone or ask the
group through the bus).

Within a process, every `ChdbEngine` on a directory shares one chDB session: the engine is
process-wide anyway, and a process that ran inserts and queries through two sessions and
closed only one of them was seen to crash (SIGSEGV) at exit. The last handle to close ends
the session; `close_all` ends it regardless, for a process about to exit.
"""

import threading
import time
from pathlib import Path
from typing import Any

from chdb import session as chdb_session

from storage.analytics.engine import Params
from storage.analytics.ownership import StoreHeldElsewhere, held_elsewhere

# The group may be started while `init` or `infra check` still holds the directory briefly.
OPEN_WAIT_S = 15.0

# Mirrors chDB's own process-wide state: directory -> [session, handles using it].
_SESSIONS: dict[str, list[Any]] = {}
_LOCK = threading.Lock()


class ChdbEngine:
    name = "chdb"

    def __init__(self, path: Path, wait_s: float = OPEN_WAIT_S) -> None:
        self.location = self._key = str(path)
        path.mkdir(parents=True, exist_ok=True)
        with _LOCK:
            if self._key not in _SESSIONS:
                _SESSIONS[self._key] = [_open(path, time.monotonic() + wait_s), 0]
            _SESSIONS[self._key][1] += 1
            self._session = _SESSIONS[self._key][0]
        self._closed = False

    def command(self, sql: str, params: Params | None = None) -> None:
        self._session.query(sql, "Null", params=params)

    def select_json(self, sql: str, params: Params | None = None) -> bytes:
        result = self._session.query(sql, "JSONEachRow", params=params)
        return bytes(result.bytes())

    def insert_json(self, table: str, body: bytes) -> None:
        # chDB takes inline data after FORMAT, as clickhouse-client does.
        self._session.query(f"INSERT INTO {table} FORMAT JSONEachRow\n{body.decode()}", "Null")

    def close(self) -> None:
        with _LOCK:
            if self._closed:
                return
            self._closed = True
            shared = _SESSIONS.get(self._key)
            if shared is not None and shared[0] is self._session:
                shared[1] -= 1
                if shared[1] == 0:
                    del _SESSIONS[self._key]
                    self._session.close()


def close_all() -> None:
    """End every chDB session of this process (its handles become unusable): for shutdown,
    once nothing queries the store any more."""
    with _LOCK:
        for session, _ in _SESSIONS.values():
            session.close()
        _SESSIONS.clear()


def _open(path: Path, deadline: float) -> chdb_session.Session:
    """A session on `path`, waiting while another process holds it."""
    while True:
        try:
            return chdb_session.Session(str(path))
        except RuntimeError as exc:
            if not held_elsewhere(path):
                raise
            if time.monotonic() >= deadline:
                raise StoreHeldElsewhere(f"{path} is open in another process") from exc
        time.sleep(0.2)

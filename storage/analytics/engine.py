"""How SQL reaches a ClickHouse engine: the one seam between the store and chDB or a server.

Statements and results travel as text in ClickHouse's own formats (parameters as
`{name:Type}` placeholders, rows as JSONEachRow), so both engines see byte-for-byte the same
SQL and give back the same JSON. The calls block; the store runs them in a worker thread.
"""

from typing import Any, Protocol

import orjson

Params = dict[str, str]


class SqlEngine(Protocol):
    name: str
    location: str

    def command(self, sql: str, params: Params | None = None) -> None: ...

    def select_json(self, sql: str, params: Params | None = None) -> bytes:
        """The result as JSONEachRow (one JSON object per line)."""

    def insert_json(self, table: str, body: bytes) -> None:
        """`INSERT INTO table FORMAT JSONEachRow` with `body` as the data."""

    def close(self) -> None: ...


def json_rows(raw: bytes) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in raw.splitlines() if line.strip()]

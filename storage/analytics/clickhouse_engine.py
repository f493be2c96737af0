"""A ClickHouse server over HTTP, through clickhouse-connect (compose runs one).

The URL may carry credentials and options: `http://user:password@clickhouse:8123`. The client
is the synchronous one: its calls run in a worker thread like chDB's, and its connection pool
needs no event loop of its own.
"""

import clickhouse_connect

from storage.analytics.engine import Params
from storage.analytics.redact import redacted_url


class ClickHouseEngine:
    name = "clickhouse"

    def __init__(self, url: str, database: str) -> None:
        self.location = f"{redacted_url(url)} database {database}"
        # Connect to `default`: our own database may not exist until `migrate` creates it.
        self._client = clickhouse_connect.get_client(dsn=url, database="default")

    def command(self, sql: str, params: Params | None = None) -> None:
        self._client.command(sql, parameters=params)

    def select_json(self, sql: str, params: Params | None = None) -> bytes:
        return bytes(self._client.raw_query(sql, parameters=params, fmt="JSONEachRow"))

    def insert_json(self, table: str, body: bytes) -> None:
        self._client.raw_insert(table, insert_block=body, fmt="JSONEachRow")

    def close(self) -> None:
        self._client.close()

"""The analytics store over any ClickHouse engine: same statements, same results, either way."""

import asyncio

import orjson

from storage.analytics.engine import SqlEngine, json_rows
from storage.analytics.port import EventRow, UsageQuery, UsageRow
from storage.analytics.schema import events_table, migrations
from storage.analytics.usage_sql import usage_row, usage_sql


class SqlAnalyticsStore:
    def __init__(self, engine: SqlEngine, database: str) -> None:
        self._engine = engine
        self._database = database
        self._table = events_table(database)
        self.backend = engine.name
        self.location = engine.location

    async def migrate(self) -> None:
        for statement in migrations(self._database):
            await asyncio.to_thread(self._engine.command, statement)

    async def insert_events(self, rows: list[EventRow]) -> None:
        if not rows:
            return
        body = b"\n".join(orjson.dumps(row) for row in rows)
        await asyncio.to_thread(self._engine.insert_json, self._table, body)

    async def usage(self, query: UsageQuery) -> list[UsageRow]:
        sql, params = usage_sql(self._database, query)
        raw = await asyncio.to_thread(self._engine.select_json, sql, params)
        return [usage_row(row) for row in json_rows(raw)]

    async def ping(self) -> str:
        sql = "SELECT count() AS n FROM system.tables WHERE database = {db:String} AND name = 'events'"
        raw = await asyncio.to_thread(self._engine.select_json, sql, {"db": self._database})
        if int(json_rows(raw)[0]["n"]) != 1:
            raise RuntimeError(f"table {self._table} is missing (run `switchboard init`)")
        return f"table {self._table} present"

    async def close(self) -> None:
        await asyncio.to_thread(self._engine.close)

"""The Postgres floor: a raw asyncpg transaction with a turn's inserts, and nothing else.

One `llm_turns`-like row and two `messages`-like rows (one statement, as the turn writes them)
in a throwaway schema with the same columns and keys, committed with the server's durability
settings. A real turn also claims its operation id, locks the thread, reads history, moves the
thread's seq and stores its reply; this is the part no design can avoid.
"""

import uuid

# asyncpg ships no type information; the four calls used here are checked by running them.
import asyncpg  # type: ignore[import-untyped]

from deploy.bench.scenario import TURN_TEXT

SCHEMA_DDL = (
    """CREATE TABLE llm_turns (
        id uuid PRIMARY KEY, workspace_id uuid NOT NULL, thread_id uuid NOT NULL,
        bot_id uuid NOT NULL, bot_version integer NOT NULL, operation_id text NOT NULL,
        status text NOT NULL, model text NOT NULL, prompt_tokens integer,
        completion_tokens integer, latency_ms integer, error text,
        created_at timestamptz NOT NULL DEFAULT now(), completed_at timestamptz)""",
    "CREATE INDEX ON llm_turns (thread_id, created_at)",
    """CREATE TABLE messages (
        id uuid PRIMARY KEY, workspace_id uuid NOT NULL, thread_id uuid NOT NULL,
        seq integer NOT NULL, role text NOT NULL, content text NOT NULL,
        turn_id uuid REFERENCES llm_turns (id), operation_id text,
        created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (thread_id, seq))""",
)
INSERT_TURN = """INSERT INTO llm_turns (id, workspace_id, thread_id, bot_id, bot_version,
    operation_id, status, model, prompt_tokens, completion_tokens, latency_ms, completed_at)
    VALUES ($1, $2, $3, $4, 1, $5, 'completed', 'echo', 20, 20, 0, now())
    RETURNING id, status, model, latency_ms"""
INSERT_MESSAGES = """INSERT INTO messages (id, workspace_id, thread_id, seq, role, content,
    turn_id, operation_id) VALUES
    ($1, $3, $4, $5, 'user', $7, $8, $9), ($2, $3, $4, $6, 'assistant', $7, $8, $9)
    RETURNING id, role, content, seq, turn_id, created_at"""


class PgFloor:
    DETAIL = (
        "raw asyncpg transaction: 1 llm_turns-like row and 2 messages in a throwaway schema, "
        "committed with the server's durability settings"
    )

    def __init__(self, dsn: str, schema: str) -> None:
        self.schema = schema
        self._dsn = dsn
        self._conn: asyncpg.Connection | None = None
        self._workspace, self._thread, self._bot = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        self._seq = 0

    async def start(self) -> None:
        admin = await asyncpg.connect(self._dsn)
        try:
            await admin.execute(f'CREATE SCHEMA "{self.schema}"')
        finally:
            await admin.close()
        # The schema first on the search path: the statements name no schema at all.
        self._conn = await asyncpg.connect(self._dsn, server_settings={"search_path": self.schema})
        for statement in SCHEMA_DDL:
            await self._conn.execute(statement)

    async def stop(self) -> None:
        if self._conn is not None:
            await self._conn.execute(f'DROP SCHEMA "{self.schema}" CASCADE')
            await self._conn.close()

    async def transaction(self) -> None:
        assert self._conn is not None, "start() first"
        turn_id, operation_id = uuid.uuid4(), f"bench-floor-{uuid.uuid4().hex}"
        self._seq += 2
        async with self._conn.transaction():
            await self._conn.fetchrow(
                INSERT_TURN, turn_id, self._workspace, self._thread, self._bot, operation_id
            )
            await self._conn.fetch(
                INSERT_MESSAGES,
                uuid.uuid4(),
                uuid.uuid4(),
                self._workspace,
                self._thread,
                self._seq - 1,
                self._seq,
                TURN_TEXT,
                turn_id,
                operation_id,
            )

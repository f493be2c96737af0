"""Engine construction: one pool per process, created by the composition root."""

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def create_engine(url: str, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        url,
        pool_size=pool_size,
        # Error texts end up in logs and dead-letter headers: never with the statement's values
        # (they can be emails, password hashes, message content).
        hide_parameters=True,
        max_overflow=pool_size,
        # No pre-ping: it costs three statements per transaction. A connection that died with a
        # database restart fails its first statement instead, which the runtime retries as
        # transient on a fresh connection (handlers/runtime/failures.py).
        # asyncpg's prepared-statement cache is per connection; jit only slows these short queries.
        connect_args={"server_settings": {"jit": "off"}},
    )

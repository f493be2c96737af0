"""Engine construction: one pool per process, created by the composition root."""

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def create_engine(url: str, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        # asyncpg's prepared-statement cache is per connection; jit only slows these short queries.
        connect_args={"server_settings": {"jit": "off"}},
    )

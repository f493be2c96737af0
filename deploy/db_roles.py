"""The application role: created by the RLS migration, given its login here from settings.

The password lives in `SWITCHBOARD_DATABASE_URL`, not in a migration, so each deployment
chooses its own.
"""

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from storage.rls import APP_ROLE


async def ensure_app_login(admin_url: str, app_url: str) -> None:
    url = make_url(app_url)
    if url.username != APP_ROLE:
        raise ValueError(f"SWITCHBOARD_DATABASE_URL must connect as {APP_ROLE}, not {url.username}")
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            # ALTER ROLE takes no bind parameters; the password is quoted as a literal.
            password = (
                await conn.execute(text("SELECT quote_literal(:p)"), {"p": url.password or ""})
            ).scalar_one()
            await conn.execute(text(f"ALTER ROLE {APP_ROLE} LOGIN PASSWORD {password}"))
    finally:
        await engine.dispose()

"""The restricted roles (created by migrations) get their logins here, from settings.

Passwords live in the connection URLs (`SWITCHBOARD_DATABASE_URL`,
`SWITCHBOARD_RELAY_DATABASE_URL`), not in migrations, so each deployment chooses its own.
"""

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from config.settings import Settings
from storage.rls import APP_ROLE, RELAY_ROLE


async def ensure_logins(settings: Settings) -> None:
    """Let the application and relay roles log in with the passwords of their URLs."""
    logins = {APP_ROLE: settings.database_url, RELAY_ROLE: settings.relay_database_url}
    engine = create_async_engine(settings.admin_database_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            for role, url in logins.items():
                parsed = make_url(url)
                if parsed.username != role:
                    raise ValueError(f"the URL for {role} connects as {parsed.username}")
                # ALTER ROLE takes no bind parameters; the password is quoted as a literal.
                quoted = await conn.execute(
                    text("SELECT quote_literal(:p)"), {"p": parsed.password or ""}
                )
                await conn.execute(text(f"ALTER ROLE {role} LOGIN PASSWORD {quoted.scalar_one()}"))
    finally:
        await engine.dispose()

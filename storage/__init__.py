"""Postgres (SQLAlchemy Core, asyncpg) and Redis adapters: schema, unit of work, inbox, audit."""

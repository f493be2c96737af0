"""The shared MetaData and column helpers every schema module uses."""

import uuid
from typing import Any

from sqlalchemy import Column, DateTime, MetaData, func
from sqlalchemy.dialects.postgresql import UUID

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def uuid_pk() -> Column[Any]:
    return Column("id", UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)


def workspace_id_column() -> Column[Any]:
    return Column("workspace_id", UUID(as_uuid=True), nullable=False)


def created_at_column() -> Column[Any]:
    return Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now())

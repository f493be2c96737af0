"""Payloads of the `auth` commands."""

from pydantic import BaseModel

PAYLOADS: dict[str, type[BaseModel]] = {}

"""Payloads of the `bots` commands."""

from pydantic import BaseModel

PAYLOADS: dict[str, type[BaseModel]] = {}

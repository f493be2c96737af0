"""Payloads of the `conversations` commands."""

from pydantic import BaseModel

PAYLOADS: dict[str, type[BaseModel]] = {}

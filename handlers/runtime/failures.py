"""Which failures are worth retrying, and how long to wait before the next attempt."""

import asyncio

from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

# SQLSTATE classes that a retry can cure: serialization failures and deadlocks (40xxx),
# connection trouble (08xxx), the server going away (57Pxx), too many connections (53300).
_TRANSIENT_SQLSTATE_PREFIXES = ("40", "08", "57P", "53300")


class PoisonMessage(Exception):
    """The record cannot be decoded into an envelope: retrying cannot help."""


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, OSError | asyncio.TimeoutError | KafkaConnectionError | KafkaTimeoutError):
        return True
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    if isinstance(exc, DBAPIError):
        sqlstate = getattr(exc.orig, "sqlstate", None) or ""
        return bool(exc.connection_invalidated) or sqlstate.startswith(_TRANSIENT_SQLSTATE_PREFIXES)
    return False


def backoff_s(attempt: int, base_s: float, cap_s: float = 5.0) -> float:
    """Exponential backoff: base, 2*base, 4*base, ... capped."""
    return float(min(cap_s, base_s * 2 ** (attempt - 1)))

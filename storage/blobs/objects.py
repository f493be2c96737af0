"""The object store port: what callers may rely on, whichever backend is configured."""

from typing import Protocol


class ObjectNotFound(KeyError):
    """No object under that key."""


class ObjectStore(Protocol):
    backend: str  # "filesystem" or "s3"
    location: str  # for operators: a directory, or an endpoint and bucket

    async def ensure_bucket(self) -> None:
        """Create the bucket if missing (idempotent; `switchboard init` runs it)."""

    async def bucket_exists(self) -> bool: ...

    async def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key`, replacing what was there; readers see all or nothing."""

    async def get(self, key: str) -> bytes:
        """The object's bytes; `ObjectNotFound` if there is none."""

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Remove the object; removing a missing object is not an error."""

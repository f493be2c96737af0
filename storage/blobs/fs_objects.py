"""Objects as files: `<root>/<bucket>/<key>`, for a machine without an S3 server.

Writes go to a temporary file in the same directory and are renamed into place, so a reader
never sees half an object. Blocking file calls run in a worker thread.
"""

import asyncio
import contextlib
import os
import tempfile
from pathlib import Path

from storage.blobs.keys import checked_key
from storage.blobs.objects import ObjectNotFound


class FilesystemObjects:
    backend = "filesystem"

    def __init__(self, root: str, bucket: str) -> None:
        self._bucket = Path(root) / bucket
        self.location = f"directory {self._bucket} (the local stand-in for S3)"

    async def ensure_bucket(self) -> None:
        await asyncio.to_thread(self._bucket.mkdir, parents=True, exist_ok=True)

    async def bucket_exists(self) -> bool:
        return await asyncio.to_thread(self._bucket.is_dir)

    async def put(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(self._write, self._path(key), data)

    async def get(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self._path(key).read_bytes)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise ObjectNotFound(key) from exc

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).is_file)

    async def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
            await asyncio.to_thread(self._path(key).unlink)

    def _path(self, key: str) -> Path:
        return self._bucket / checked_key(key)

    def _write(self, path: Path, data: bytes) -> None:
        if not self._bucket.is_dir():
            raise FileNotFoundError(f"bucket {self._bucket} is missing (run `switchboard init`)")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".put-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise

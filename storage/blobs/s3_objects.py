"""Objects in an S3-compatible server (MinIO in compose), through the `minio` SDK.

The SDK blocks, so each call runs in a worker thread; its urllib3 pool is shared by them.
"""

import asyncio
import io
from urllib.parse import urlsplit

from minio import Minio
from minio.error import S3Error

from storage.blobs.keys import checked_key
from storage.blobs.objects import ObjectNotFound

_MISSING = {"NoSuchKey", "NoSuchObject"}


class S3Objects:
    backend = "s3"

    def __init__(
        self, endpoint: str, access_key: str, secret_key: str, region: str, bucket: str
    ) -> None:
        url = urlsplit(endpoint)
        self._client = Minio(
            url.netloc,
            access_key=access_key or None,
            secret_key=secret_key or None,
            secure=url.scheme == "https",
            region=region,
        )
        self._bucket = bucket
        self.location = f"{endpoint} bucket {bucket}"

    async def ensure_bucket(self) -> None:
        if not await self.bucket_exists():
            try:
                await asyncio.to_thread(self._client.make_bucket, self._bucket)
            except S3Error as exc:  # created meanwhile by another init
                if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise

    async def bucket_exists(self) -> bool:
        return await asyncio.to_thread(self._client.bucket_exists, self._bucket)

    async def put(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(
            self._client.put_object, self._bucket, checked_key(key), io.BytesIO(data), len(data)
        )

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._read, checked_key(key))

    async def exists(self, key: str) -> bool:
        try:
            await asyncio.to_thread(self._client.stat_object, self._bucket, checked_key(key))
        except S3Error as exc:
            if exc.code in _MISSING:
                return False
            raise
        return True

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._client.remove_object, self._bucket, checked_key(key))

    def _read(self, key: str) -> bytes:
        try:
            response = self._client.get_object(self._bucket, key)
        except S3Error as exc:
            if exc.code in _MISSING:
                raise ObjectNotFound(key) from exc
            raise
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

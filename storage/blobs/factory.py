"""Which object and vector store this deployment uses, named for its namespace."""

from config.settings import Settings
from storage.blobs.fs_objects import FilesystemObjects
from storage.blobs.keys import bucket_name
from storage.blobs.objects import ObjectStore
from storage.blobs.qdrant_vectors import QdrantVectors
from storage.blobs.s3_objects import S3Objects
from storage.blobs.vectors import VectorStore


def open_objects(settings: Settings) -> ObjectStore:
    bucket = bucket_name(settings.s3_bucket, settings.store_namespace)
    if settings.objects_backend == "s3":
        return S3Objects(
            settings.s3_endpoint,
            settings.s3_access_key,
            settings.s3_secret_key.get_secret_value(),
            settings.s3_region,
            bucket,
        )
    return FilesystemObjects(settings.objects_path, bucket)


def open_vectors(settings: Settings) -> VectorStore:
    """Embedded: a directory per namespace (one process at a time may open it); server: a
    collection per namespace."""
    namespace = settings.store_namespace
    if settings.vectors_backend == "qdrant":
        collection = (
            f"{settings.vector_collection}_{namespace}" if namespace else settings.vector_collection
        )
        return QdrantVectors.server(
            settings.qdrant_url,
            settings.qdrant_api_key.get_secret_value(),
            collection,
            settings.vector_size,
        )
    path = f"{settings.qdrant_path}/{namespace or 'main'}"
    return QdrantVectors.embedded(path, settings.vector_collection, settings.vector_size)

"""Files and vectors: an object store (S3/MinIO, or a directory) and a vector store (Qdrant).

    objects = open_objects(settings)          # ObjectStore: put/get/delete/exists
    vectors = open_vectors(settings)          # VectorStore: upsert/search/delete, per workspace

Each has a server backend (compose: MinIO, Qdrant) and an embedded default for a machine
without them (a directory under `.run/objects`, Qdrant's on-disk local mode under
`.run/qdrant`). `switchboard init` creates the bucket and the collection.
"""

from storage.blobs.factory import open_objects, open_vectors
from storage.blobs.objects import ObjectNotFound, ObjectStore
from storage.blobs.vectors import VectorHit, VectorPoint, VectorStore, VectorStoreHeld

__all__ = [
    "ObjectNotFound",
    "ObjectStore",
    "VectorHit",
    "VectorPoint",
    "VectorStore",
    "VectorStoreHeld",
    "open_objects",
    "open_vectors",
]

"""Object keys: the same rules for every backend, so a key valid on one is valid on all.

`/`-separated segments of letters, digits and `._-=+@,`; no empty, `.` or `..` segment, at
most 512 characters. That keeps a key a safe relative path for the filesystem backend (it can
never climb out of its bucket) and a plain object name for S3.
"""

import re

_SEGMENT = re.compile(r"^[A-Za-z0-9._=+@,-]+$")
MAX_KEY_LENGTH = 512


class InvalidKey(ValueError):
    pass


def checked_key(key: str) -> str:
    if not 0 < len(key) <= MAX_KEY_LENGTH:
        raise InvalidKey(f"an object key has 1 to {MAX_KEY_LENGTH} characters")
    for segment in key.split("/"):
        if segment in ("", ".", "..") or not _SEGMENT.match(segment):
            raise InvalidKey(f"not a valid object key: {key!r}")
    return key


def bucket_name(base: str, namespace: str) -> str:
    """`switchboard`, or `switchboard-<namespace>` for a prefixed deployment (S3 naming rules)."""
    return f"{base}-{namespace}"[:63] if namespace else base

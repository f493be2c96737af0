"""HMAC-SHA256 webhook signatures: `X-Signature: sha256=<hex digest of the raw body>`."""

import hashlib
import hmac

PREFIX = "sha256="


def sign(secret: str, body: bytes) -> str:
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed_by(secrets: list[str], body: bytes, signature: str) -> bool:
    """Whether any of the source's active secrets (more than one while rotating) signed it."""
    if not signature.startswith(PREFIX):
        return False
    return any(hmac.compare_digest(sign(secret, body), signature) for secret in secrets)

"""Password hashing with argon2id, off the event loop.

    passwords = Passwords()
    stored = await passwords.hash("correct horse battery staple")
    assert await passwords.verify(stored, "correct horse battery staple")
    assert not await passwords.verify(None, "anything")   # unknown user: same work, False

The parameters are OWASP's recommended argon2id configuration (m=19 MiB, t=2, p=1), not
argon2-cffi's default (RFC 9106's low-memory profile, m=64 MiB, t=3, p=4): a handler hashes up
to `handler_max_workers` passwords at once, and at 64 MiB each a registration burst took the
auth process to 280 MB. Hashing and verifying run in a worker thread so they never block the
loop; hashes made with other parameters are re-hashed at the next login. `verify(None, ...)` checks the password against a dummy hash made with the
same parameters, so an unknown email costs what a wrong password costs (no timing oracle).
"""

import asyncio
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASH_PREFIX = "$argon2id$v=19$m=19456,t=2,p=1$"


class Passwords:
    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
        # Made once, up front: the first unknown-email login must not pay for it.
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, stored: str | None, password: str) -> bool:
        """True if `password` matches `stored`; always False (after equal work) for None."""
        matches = await asyncio.to_thread(self._verify, stored or self._dummy, password)
        return matches and stored is not None

    def needs_rehash(self, stored: str) -> bool:
        """The hash was made with other parameters than today's: re-hash it on the next login."""
        return self._hasher.check_needs_rehash(stored)

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

"""Password hashing with argon2id, off the event loop.

    passwords = Passwords()
    stored = await passwords.hash("correct horse battery staple")
    assert await passwords.verify(stored, "correct horse battery staple")
    assert not await passwords.verify(None, "anything")   # unknown user: same work, False

argon2-cffi's defaults are RFC 9106's low-memory profile (argon2id, t=3, m=64 MiB, p=4), about
a quarter of a second of CPU per hash here: hashing and verifying run in a worker thread so they
never block the loop. `verify(None, ...)` checks the password against a dummy hash made with the
same parameters, so an unknown email costs what a wrong password costs (no timing oracle).
"""

import asyncio
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Passwords:
    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
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

"""argon2id hashing off the loop, and equal work for unknown users."""

import asyncio

import pytest
from argon2 import PasswordHasher

from security.passwords import HASH_PREFIX, Passwords

# Cheap parameters: these tests are about behaviour, not cost.
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(scope="module")
def passwords() -> Passwords:
    return Passwords(FAST)


async def test_a_hash_is_argon2id_salted_and_verifies(passwords: Passwords) -> None:
    one, two = await passwords.hash("s3cret-pass"), await passwords.hash("s3cret-pass")
    assert one.startswith("$argon2id$")
    assert one != two
    assert "s3cret-pass" not in one
    assert await passwords.verify(one, "s3cret-pass")
    assert not await passwords.verify(one, "s3cret-pasS")


async def test_an_unknown_user_is_false_whatever_the_password(passwords: Passwords) -> None:
    assert not await passwords.verify(None, "anything at all")
    assert not await passwords.verify(None, "")


class Recording(PasswordHasher):
    """Remembers which hashes it verified against."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.checked: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.checked.append(str(hash))
        return super().verify(hash, password)


async def test_an_unknown_user_costs_a_real_verification() -> None:
    hasher = Recording()
    passwords = Passwords(hasher)
    await passwords.verify(None, "guess")
    known = await passwords.hash("guess")
    await passwords.verify(known, "guess")
    dummy, real = hasher.checked
    assert dummy.split("$")[:4] == real.split("$")[:4]  # same algorithm and parameters
    assert dummy.startswith("$argon2id$v=19$m=1024,t=1,p=1$")


async def test_a_corrupt_hash_is_false_not_an_error(passwords: Passwords) -> None:
    assert not await passwords.verify("not-a-hash", "whatever")


async def test_hashing_runs_off_the_event_loop(passwords: Passwords) -> None:
    """While hashes are computed the loop keeps ticking."""
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    ticker = asyncio.create_task(tick())
    slow = Passwords(PasswordHasher(time_cost=2, memory_cost=16384, parallelism=1))
    await asyncio.gather(*(slow.hash("p" * 20) for _ in range(4)))
    ticker.cancel()
    assert ticks > 10


def test_hashes_made_with_other_parameters_need_a_rehash(passwords: Passwords) -> None:
    old = PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1).hash("p")
    assert passwords.needs_rehash(old)
    assert not passwords.needs_rehash(FAST.hash("p"))


def test_the_parameters_are_owasps_argon2id_configuration() -> None:
    stored = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1).hash("p")
    assert not Passwords().needs_rehash(stored)
    assert stored.startswith(HASH_PREFIX)
    assert Passwords().needs_rehash(PasswordHasher().hash("p"))  # the library default

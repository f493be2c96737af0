"""Adapters the use cases need beyond their transaction, built once per process."""

from dataclasses import dataclass

from redis.asyncio import Redis

from config.settings import Settings
from security.tokens import AccessTokens


@dataclass(frozen=True)
class Deps:
    settings: Settings
    access_tokens: AccessTokens
    redis: Redis

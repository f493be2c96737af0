"""Adapters the use cases need beyond their transaction, built once per process."""

from dataclasses import dataclass

from config.settings import Settings
from security.tokens import AccessTokens


@dataclass(frozen=True)
class Deps:
    settings: Settings
    access_tokens: AccessTokens

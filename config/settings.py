"""Settings from `SWITCHBOARD_*` environment variables (see env.example), with local defaults."""

import socket
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_JWT_SECRET = "switchboard-dev-secret-change-me-0123456789abcdef"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    log_level: str = "INFO"

    kafka_bootstrap: str = "127.0.0.1:9092"
    topic_prefix: str = ""
    # Handlers connect as the application role, which row-level security binds to one tenant
    # per transaction; migrations and operator tools use the owner (admin) role.
    database_url: str = (
        "postgresql+asyncpg://switchboard_app:switchboard_app@127.0.0.1:5432/switchboard"
    )
    admin_database_url: str = (
        "postgresql+asyncpg://switchboard:switchboard@127.0.0.1:5432/switchboard"
    )
    database_pool_size: int = 10
    redis_url: str = "redis://127.0.0.1:6379/0"

    jwt_secret: SecretStr = SecretStr(DEV_JWT_SECRET)
    jwt_issuer: str = "switchboard"
    jwt_audience: str = "switchboard-api"
    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 30 * 24 * 3600

    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8080
    gateway_instance_id: str = Field(default_factory=lambda: socket.gethostname())
    reply_timeout_s: float = 10.0
    max_body_bytes: int = 1024 * 1024
    cors_origins: list[str] = Field(default_factory=list)

    rate_user_per_s: float = 50.0
    rate_user_burst: int = 100
    rate_anon_per_s: float = 20.0
    rate_anon_burst: int = 40
    rate_login_per_min: int = 10

    handler_max_workers: int = 3
    handler_retry_attempts: int = 3
    handler_retry_backoff_s: float = 0.2
    transient_retry_budget_s: float = 60.0
    idempotency_retention_h: int = 24

    # The model behind turns; "echo" answers with the user's own words (handlers/conversations).
    llm_provider: str = "echo"

    @model_validator(mode="after")
    def _refuse_weak_secret_outside_development(self) -> "Settings":
        secret = self.jwt_secret.get_secret_value()
        if self.environment != "development" and (
            secret == DEV_JWT_SECRET or len(secret.encode()) < 32
        ):
            raise ValueError(
                f"SWITCHBOARD_JWT_SECRET must be a non-default secret of 32+ bytes "
                f"outside development (environment is {self.environment!r})"
            )
        return self

"""Settings from `SWITCHBOARD_*` environment variables (see env.example), with local defaults."""

import json
import re
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
    # The outbox relay reads every tenant's events and nothing else (a role of its own).
    relay_database_url: str = (
        "postgresql+asyncpg://switchboard_relay:switchboard_relay@127.0.0.1:5432/switchboard"
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

    # Analytics store: chDB (ClickHouse in-process, files under `chdb_path`) by default, or a
    # ClickHouse server. An embedded store is owned by the one `analytics` process.
    analytics_backend: Literal["chdb", "clickhouse"] = "chdb"
    chdb_path: str = ".run/chdb"
    clickhouse_url: str = "http://127.0.0.1:8123"
    clickhouse_database: str = Field(default="switchboard", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    # The sink inserts a batch when it holds this many events or its oldest is this old.
    analytics_batch_size: int = Field(default=500, ge=1, le=100_000)
    analytics_flush_interval_s: float = Field(default=1.0, gt=0)

    # Object storage: files under `objects_path` by default, or an S3 server (MinIO).
    objects_backend: Literal["filesystem", "s3"] = "filesystem"
    objects_path: str = ".run/objects"
    s3_endpoint: str = "http://127.0.0.1:9000"
    s3_access_key: str = ""
    s3_secret_key: SecretStr = SecretStr("")
    s3_region: str = "us-east-1"
    s3_bucket: str = Field(default="switchboard", pattern=r"^[a-z0-9][a-z0-9-]{1,40}$")

    # Vector store: embedded Qdrant (files under `qdrant_path`) by default, or a Qdrant server.
    vectors_backend: Literal["embedded", "qdrant"] = "embedded"
    qdrant_path: str = ".run/qdrant"
    qdrant_url: str = "http://127.0.0.1:6333"
    qdrant_api_key: SecretStr = SecretStr("")
    vector_collection: str = Field(default="switchboard", pattern=r"^[A-Za-z0-9_-]{1,64}$")
    vector_size: int = Field(default=384, ge=1, le=65_536)

    @property
    def store_namespace(self) -> str:
        """The topic prefix as a name part (`t1a2b3c4.` -> `t1a2b3c4`), "" for the unprefixed
        deployment: stores are namespaced like topics, so a test or bench run on this machine
        never shares a database, bucket, collection or embedded store directory with `make up`."""
        return re.sub(r"[^a-z0-9]+", "-", self.topic_prefix.lower()).strip("-")

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


def settings_env(settings: Settings, base: dict[str, str]) -> dict[str, str]:
    """`base` plus the environment that gives a child process exactly these settings."""
    env = dict(base)
    for name, value in settings.model_dump(mode="json").items():
        raw = getattr(settings, name)
        if isinstance(raw, SecretStr):
            value = raw.get_secret_value()
        env[f"SWITCHBOARD_{name.upper()}"] = value if isinstance(value, str) else json.dumps(value)
    return env

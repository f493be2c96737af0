"""The composition root of one consumer group: settings in, a runnable FastStream app out."""

import hashlib
import hmac

from faststream import FastStream
from faststream.kafka import KafkaBroker
from redis.asyncio import Redis

from config.settings import Settings
from contracts.topics import Service, command_topic, consumer_group
from handlers.analytics.wiring import attach_event_sink
from handlers.auth.integration_verifier import integration_verifier
from handlers.deps import Deps
from handlers.registry import build_registry
from handlers.runtime.authenticate import Authenticator
from handlers.runtime.consumer import subscribe_commands
from handlers.runtime.dead_letters import DeadLetterMiddleware, RetryPolicy
from handlers.runtime.dispatch import Dispatcher
from handlers.runtime.outbox_relay import outbox_relay
from security.tokens import AccessTokens
from storage.db import create_engine
from storage.uow import UnitOfWork


def request_hash_key(settings: Settings) -> bytes:
    """A key of its own for the inbox's request hashes, derived from the deployment secret."""
    secret = settings.jwt_secret.get_secret_value().encode()
    return hmac.new(secret, b"switchboard/request-hash", hashlib.sha256).digest()


def create_app(service: Service, settings: Settings) -> FastStream:
    engine = create_engine(settings.database_url, settings.database_pool_size)
    access_tokens = AccessTokens(
        settings.jwt_secret.get_secret_value(),
        settings.jwt_issuer,
        settings.jwt_audience,
        settings.access_token_ttl_s,
    )
    redis = Redis.from_url(settings.redis_url)
    deps = Deps(settings=settings, access_tokens=access_tokens, redis=redis)
    dispatcher = Dispatcher(
        build_registry(service, deps),
        UnitOfWork(engine),
        Authenticator(access_tokens, integrations=integration_verifier(engine)),
        request_hash_key(settings),
    )
    group = consumer_group(service, settings.topic_prefix)
    policy = RetryPolicy(
        settings.handler_retry_attempts,
        settings.handler_retry_backoff_s,
        settings.transient_retry_budget_s,
    )
    broker = KafkaBroker(
        settings.kafka_bootstrap,
        acks="all",
        enable_idempotence=True,
        linger_ms=1,
        middlewares=[DeadLetterMiddleware(group, policy)],
        client_id=f"switchboard-{service}",
    )
    subscribe_commands(
        broker,
        command_topic(service, settings.topic_prefix),
        group,
        settings.handler_max_workers,
        dispatcher,
    )
    # Every group process relays the outbox (relays share it), so events flow while any group runs.
    relay = outbox_relay(settings, broker)
    app = FastStream(
        broker, after_startup=[relay.start], on_shutdown=[relay.stop, engine.dispose, redis.aclose]
    )
    if service == "analytics":
        attach_event_sink(app, settings)  # events topic -> analytics store (its own group)
    return app

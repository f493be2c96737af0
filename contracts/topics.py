"""Kafka topic and consumer-group names.

`prefix` namespaces a whole deployment (tests run under their own prefix so they never
disturb a running stack); production uses the empty prefix and the plain names below.
"""

from typing import Final, Literal

# `analytics` consumes the `events` topic into the analytics store and answers usage queries.
Service = Literal["auth", "bots", "conversations", "analytics"]
SERVICES: Final[tuple[Service, ...]] = ("auth", "bots", "conversations", "analytics")
EVENTS: Final = "events"
COMMAND_PARTITIONS: Final = 6


_SERVED_BY: dict[str, Service] = {"audit": "bots", "webhooks": "auth"}


def command_topic(service: Service, prefix: str = "") -> str:
    return f"{prefix}{service}.commands"


def dlq_topic(topic: str) -> str:
    return f"{topic}.dlq"


def events_topic(prefix: str = "") -> str:
    return f"{prefix}{EVENTS}"


def consumer_group(service: Service, prefix: str = "") -> str:
    return f"{prefix}{service}"


def reply_topic(instance_id: str, prefix: str = "") -> str:
    return f"{prefix}gateway.replies.{instance_id}"


def service_of(command_type: str) -> Service:
    """The service whose topic carries a command type (`audit.*` is served by `bots`,
    `webhooks.*` by `auth`)."""
    head = command_type.split(".", 1)[0]
    if head in _SERVED_BY:
        return _SERVED_BY[head]
    if head not in SERVICES:
        raise ValueError(f"unknown command type {command_type!r}")
    return head


def all_topics(prefix: str = "") -> list[str]:
    commands = [command_topic(s, prefix) for s in SERVICES]
    return [*commands, *(dlq_topic(t) for t in commands), events_topic(prefix)]

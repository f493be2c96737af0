"""Commands every handler group answers, whatever its domain."""

from pydantic import BaseModel

from contracts.commands.common import Payload


class Ping(Payload):
    """`<service>.ping`: answered with `{"service", "group"}`; proves the group is live."""


PAYLOADS: dict[str, type[BaseModel]] = {
    "auth.ping": Ping,
    "bots.ping": Ping,
    "conversations.ping": Ping,
    "analytics.ping": Ping,
}

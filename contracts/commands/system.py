"""Commands every handler group answers, whatever its domain."""

from contracts.commands.common import Payload


class Ping(Payload):
    """`<service>.ping`: answered with `{"service": ..., "group": ...}`; proves the group is live."""

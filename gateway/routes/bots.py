"""The `bots` routes, and the audit log's (served by the `bots` group)."""

from contracts.commands.bots import (
    AuditEntryPage,
    Bot,
    BotPage,
    BotVersion,
    BotVersionPage,
    BotWithVersion,
)
from gateway.routes.spec import RouteSpec

BOT = "/v1/bots/{bot_id}"

ROUTES: list[RouteSpec] = [
    RouteSpec(
        "GET",
        "/v1/bots",
        "bots.list",
        "List the live bots, newest first",
        response=BotPage,
        tag="bots",
    ),
    RouteSpec(
        "POST",
        "/v1/bots",
        "bots.create",
        "Create a bot and its version 1",
        status=201,
        response=Bot,
        tag="bots",
    ),
    RouteSpec("GET", BOT, "bots.get", "Read a bot", response=Bot, tag="bots"),
    RouteSpec("PATCH", BOT, "bots.update", "Rename or redescribe a bot", response=Bot, tag="bots"),
    RouteSpec("DELETE", BOT, "bots.archive", "Archive a bot", status=204, tag="bots"),
    RouteSpec(
        "PUT",
        f"{BOT}/instruction",
        "bots.set_instruction",
        "Set the instruction: a new version",
        response=BotWithVersion,
        tag="bots",
    ),
    RouteSpec(
        "GET",
        f"{BOT}/versions",
        "bots.list_versions",
        "List a bot's versions by number",
        response=BotVersionPage,
        tag="bots",
    ),
    RouteSpec(
        "GET",
        f"{BOT}/versions/{{number}}",
        "bots.get_version",
        "Read one version",
        response=BotVersion,
        tag="bots",
    ),
    RouteSpec(
        "GET",
        "/v1/audit",
        "audit.list",
        "List the workspace's audit entries, newest first",
        response=AuditEntryPage,
        tag="audit",
    ),
]

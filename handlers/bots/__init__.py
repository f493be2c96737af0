"""The `bots` consumer group's use cases: bots, their instruction versions, and the audit log.

Each command type runs with the payload model the gateway validated it with (`PAYLOADS`).
"""

from contracts.commands.bots import PAYLOADS
from handlers.bots.audit import list_audit
from handlers.bots.create import create_bot
from handlers.bots.instruction import set_instruction
from handlers.bots.read import get_bot, list_bots
from handlers.bots.update import archive_bot, update_bot
from handlers.bots.versions import get_version, list_versions
from handlers.deps import Deps
from handlers.runtime.registry import HandlerSpec, TxHandler

# Changes: one transaction with the inbox claim, the effect, its audit entry and the reply.
COMMANDS: dict[str, TxHandler] = {
    "bots.create": create_bot,
    "bots.update": update_bot,
    "bots.archive": archive_bot,
    "bots.set_instruction": set_instruction,
}
QUERIES: dict[str, TxHandler] = {
    "bots.get": get_bot,
    "bots.list": list_bots,
    "bots.list_versions": list_versions,
    "bots.get_version": get_version,
    "audit.list": list_audit,
}


def specs(deps: Deps) -> list[HandlerSpec]:
    return [
        *(HandlerSpec(t, PAYLOADS[t], h, mode="command") for t, h in COMMANDS.items()),
        *(HandlerSpec(t, PAYLOADS[t], h, mode="query") for t, h in QUERIES.items()),
    ]

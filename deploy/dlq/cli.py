"""`switchboard dlq list|show|replay`: dead letters for operators.

Exit codes: 0 done (also when nothing matched), 1 some replays did not succeed, 3 Kafka or
Postgres unreachable, 4 no such dead letter (`show`); typer's 2 for bad usage.
"""

import asyncio
import getpass
import json
import uuid
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

import typer
from aiokafka.errors import KafkaError
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy.exc import DBAPIError

from config.settings import Settings
from contracts.topics import reply_topic
from deploy.dlq.letters import DeadLetter, Filters
from deploy.dlq.reader import read_dead_letters
from deploy.dlq.replay_log import ReplayLog
from deploy.dlq.replayer import Replayer
from gateway.bus_client import BusClient, BusUnavailable
from security.tokens import AccessTokens
from storage.db import create_engine

app = typer.Typer(help="Dead letters: list, show and replay them.", no_args_is_help=True)
console = Console()
T = TypeVar("T")

TopicOpt = Annotated[
    list[str] | None, typer.Option("--topic", help="Original or DLQ topic; repeatable.")
]
SinceOpt = Annotated[
    datetime | None, typer.Option(help="Dead-lettered at or after (ISO 8601, UTC).")
]
UntilOpt = Annotated[
    datetime | None, typer.Option(help="Dead-lettered at or before (ISO 8601, UTC).")
]
ErrorOpt = Annotated[
    str | None, typer.Option("--error-type", help="Exception type, e.g. ProgrammingError.")
]
WorkspaceOpt = Annotated[str | None, typer.Option(help="Workspace id (the record key).")]
OperationOpt = Annotated[str | None, typer.Option("--operation-id")]


def _filters(
    topic: list[str] | None,
    since: datetime | None,
    until: datetime | None,
    error_type: str | None,
    workspace: str | None,
    operation_id: str | None,
    ids: list[str] | None = None,
) -> Filters:
    return Filters(
        topic or [], _utc(since), _utc(until), error_type, workspace, operation_id, ids or []
    )


def _utc(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=moment.tzinfo or UTC) if moment else None


def _run(work: Coroutine[Any, Any, T]) -> T:
    try:
        return asyncio.run(work)
    except (KafkaError, BusUnavailable, OSError, DBAPIError) as exc:
        console.print(f"[red]cannot reach Kafka or Postgres:[/red] {type(exc).__name__}: {exc}")
        raise typer.Exit(3) from exc


async def _letters_and_marks(
    settings: Settings, filters: Filters
) -> tuple[list[DeadLetter], set[str]]:
    letters = await read_dead_letters(settings.kafka_bootstrap, settings.topic_prefix, filters)
    engine = create_engine(settings.admin_database_url, pool_size=1)
    try:
        replayed = await ReplayLog(engine, "").replayed([letter.id for letter in letters])
    finally:
        await engine.dispose()
    return letters, replayed


@app.command("list")
def list_letters(
    topic: TopicOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    error_type: ErrorOpt = None,
    workspace: WorkspaceOpt = None,
    operation_id: OperationOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")] = False,
) -> None:
    """List dead letters, oldest first."""
    filters = _filters(topic, since, until, error_type, workspace, operation_id)
    letters, replayed = _run(_letters_and_marks(Settings(), filters))
    rows = [{**letter.summary(), "replayed": letter.id in replayed} for letter in letters]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table("id", "time", "command", "workspace", "operation", "error", "replayed")
    for row in rows:
        error = f"{row['error_type']}: {row['error_message']}"[:60]
        table.add_row(
            row["id"],
            row["time"][:19],
            row["command_type"],
            str(row["workspace"]),
            str(row["operation_id"]),
            error,
            "yes" if row["replayed"] else "",
        )
    console.print(table)
    console.print(f"{len(rows)} dead letter(s)")


@app.command()
def show(
    letter_id: Annotated[str, typer.Argument(help="<dlq topic>:<partition>:<offset>")],
) -> None:
    """One dead letter in full: headers, payload, error."""
    letters, replayed = _run(_letters_and_marks(Settings(), Filters(ids=[letter_id])))
    if not letters:
        console.print(f"[red]no dead letter {letter_id}[/red]")
        raise typer.Exit(4)
    letter = letters[0]
    document: dict[str, Any] = {
        **letter.summary(),
        "replayed": letter.id in replayed,
        "headers": {
            k: ("<redacted>" if k == "authorization" else v) for k, v in letter.headers.items()
        },
        "payload": letter.value.decode(errors="replace"),
    }
    typer.echo(json.dumps(document, indent=2))


@app.command()
def replay(
    ids: Annotated[
        list[str] | None, typer.Argument(help="Dead letter ids; none = all that match.")
    ] = None,
    topic: TopicOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    error_type: ErrorOpt = None,
    workspace: WorkspaceOpt = None,
    operation_id: OperationOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be replayed.")
    ] = False,
    rate: Annotated[
        float, typer.Option(help="At most this many replays per second.", min=0.01)
    ] = 10.0,
    limit: Annotated[int | None, typer.Option(help="Replay at most this many.", min=1)] = None,
    force: Annotated[bool, typer.Option(help="Replay even dead letters replayed before.")] = False,
    operator: Annotated[str, typer.Option(help="Who replays (audit log).")] = getpass.getuser(),
) -> None:
    """Re-drive dead letters to their original topics, keeping key, payload and operation id."""
    settings = Settings()
    filters = _filters(topic, since, until, error_type, workspace, operation_id, ids)
    letters, replayed = _run(_letters_and_marks(settings, filters))
    todo = [letter for letter in letters if force or letter.id not in replayed][:limit]
    skipped = len(letters) - len(todo)
    if dry_run:
        for letter in todo:
            console.print(
                f"would replay {letter.id} ({letter.command_type}) -> {letter.original_topic}"
            )
        console.print(
            f"dry run: {len(todo)} would be replayed, {skipped} skipped (already replayed)"
        )
        return
    outcomes = _run(_replay_all(settings, todo, rate, force, operator))
    counts = {
        name: sum(1 for o in outcomes if o == name)
        for name in ("ok", "error", "no_reply", "skipped")
    }
    console.print(
        f"replayed: {counts['ok']} ok, {counts['error']} answered with an error, "
        f"{counts['no_reply']} unanswered; skipped: {skipped + counts['skipped']}"
    )
    if counts["error"] or counts["no_reply"]:
        raise typer.Exit(1)


async def _replay_all(
    settings: Settings, letters: list[DeadLetter], rate: float, force: bool, operator: str
) -> list[str]:
    bus = BusClient(
        settings.kafka_bootstrap,
        reply_topic(f"dlq-replay-{uuid.uuid4().hex[:8]}", settings.topic_prefix),
        settings.reply_timeout_s,
    )
    engine = create_engine(settings.admin_database_url, pool_size=2)
    tokens = AccessTokens(
        settings.jwt_secret.get_secret_value(),
        settings.jwt_issuer,
        settings.jwt_audience,
        settings.access_token_ttl_s,
    )
    replayer = Replayer(bus, ReplayLog(engine, operator), tokens)
    await bus.start()
    outcomes = []
    try:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("replaying", total=len(letters))
            for letter in letters:
                outcomes.append((await replayer.replay(letter, force)).outcome)
                progress.advance(task)
                await asyncio.sleep(1 / rate)
    finally:
        await bus.stop()
        await engine.dispose()
    return outcomes

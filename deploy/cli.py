"""The `switchboard` command: init the deployment, check infrastructure (and, later, dead letters)."""

import asyncio

import typer
from rich.console import Console

from config.settings import Settings
from deploy import migrate
from deploy.db_roles import ensure_logins
from deploy.dlq.cli import app as dlq_app
from deploy.infra_check import run_checks
from deploy.init_stores import init_stores
from deploy.topics import ensure_topics

app = typer.Typer(help="Switchboard operations.", no_args_is_help=True)
infra = typer.Typer(help="Infrastructure checks.", no_args_is_help=True)
app.add_typer(infra, name="infra")
app.add_typer(dlq_app, name="dlq")
console = Console()


@app.command()
def init() -> None:
    """Migrate the database, create the Kafka topics, the analytics tables, the bucket and the
    vector collection (idempotent)."""
    settings = Settings()
    migrate.upgrade(settings.admin_database_url)
    asyncio.run(ensure_logins(settings))
    console.print("database: migrated to head; application and relay roles can log in")
    created = asyncio.run(ensure_topics(settings.kafka_bootstrap, settings.topic_prefix))
    console.print(
        f"kafka: {len(created)} topic(s) created" + (f": {', '.join(created)}" if created else "")
    )
    for name, detail in asyncio.run(init_stores(settings)):
        console.print(f"{name}: {detail}", highlight=False)


@infra.command("check")
def infra_check() -> None:
    """Check every configured dependency; exit 1 if any fails."""
    results = asyncio.run(run_checks(Settings()))
    for result in results:
        mark = "[green]ok[/green]  " if result.ok else "[red]FAIL[/red]"
        console.print(f"{mark} {result.name}: {result.detail}", highlight=False)
    if not all(r.ok for r in results):
        console.print("[red]Some infra checks failed[/red]")
        raise typer.Exit(1)
    console.print("All infra checks passed")

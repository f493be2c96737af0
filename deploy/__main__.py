"""`python -m deploy ...` is the `switchboard` command (for environments without the script)."""

from deploy.cli import app

app()

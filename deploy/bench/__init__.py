"""`make bench`: the mixed load scenario through the gateway, next to the floors it cannot beat.

    python -m deploy.bench --users 32 --duration 30

By default the harness runs a private copy of the app (its own database, topic prefix, gateway
port and handler processes, rate limits raised) on the shared Kafka, PostgreSQL and Redis, so it
never disturbs a running `make up` stack; `--url` points it at a running gateway instead. The
last line printed is the summary (`bench: rps=... ratio_p50=...`); the full report is written
as Markdown and JSON under `reports/`.
"""

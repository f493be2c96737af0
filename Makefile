# Switchboard: `make up` runs the platform locally, `make test` runs the whole suite.
SHELL := /bin/bash
LOCAL := deploy/local
VENV := .venv/bin

.PHONY: up down infra deps test unit lint infra-check bench chaos status

up: infra ## The whole platform, gateway on 127.0.0.1:8080; returns once /readyz is 200.
	@$(LOCAL)/app.sh start

down: ## Stop everything `up` or `test` started.
	@$(LOCAL)/app.sh stop
	@$(LOCAL)/redis.sh stop
	@$(LOCAL)/postgres.sh stop
	@$(LOCAL)/kafka.sh stop

deps: ## The virtualenv and the Python dependencies.
	@$(LOCAL)/python.sh

infra: deps ## Kafka, PostgreSQL and Redis, migrated, with topics.
	@$(LOCAL)/kafka.sh start
	@$(LOCAL)/postgres.sh start
	@$(LOCAL)/redis.sh start
	@$(VENV)/switchboard init

test: infra ## Every test, against the real services (the suite starts its own handlers).
	@$(VENV)/pytest

unit: deps ## Only the tests that need no services.
	@$(VENV)/pytest tests/unit

lint: deps
	@$(VENV)/ruff check .
	@$(VENV)/ruff format --check .
	@$(VENV)/mypy

infra-check: deps
	@$(VENV)/switchboard infra check

status:
	@$(LOCAL)/kafka.sh status; $(LOCAL)/postgres.sh status; $(LOCAL)/redis.sh status; $(LOCAL)/app.sh status

# A private copy of the app (own database, topic prefix, gateway port, handler processes; rate
# limits raised) on the shared Kafka/Postgres/Redis: a running `make up` stack is left alone.
# Options: BENCH_USERS, BENCH_DURATION, BENCH_WARMUP (or BENCH_ARGS="--users 64"); SWITCHBOARD_*
# settings pass through to the app's processes. Reports go to reports/.
bench: infra ## Load test: the mixed scenario through the gateway next to raw Kafka and Postgres floors.
	@$(VENV)/python -m deploy.bench $(BENCH_ARGS)

chaos: infra ## Load with retries while replicas are killed and Kafka, Postgres and the gateway restart.
	@$(VENV)/python -m deploy.chaos $(CHAOS_ARGS)

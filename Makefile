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

bench:
	@echo "make bench: not yet (issue: proof under load and faults)"; exit 1

chaos:
	@echo "make chaos: not yet (issue: proof under load and faults)"; exit 1

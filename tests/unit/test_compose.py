"""Static checks of the Docker stack: compose.yaml and deploy/Dockerfile."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "compose.yaml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"

INFRA_SERVICES = ["kafka", "postgres", "redis", "clickhouse", "minio", "qdrant"]
HANDLER_GROUPS = ["auth", "bots", "conversations"]
APP_SERVICES = ["init", "gateway", *HANDLER_GROUPS]
AFTER_INIT_SERVICES = ["gateway", *HANDLER_GROUPS]


@cache
def load_compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "compose.yaml must be a mapping"
    return data


def service(name: str) -> dict[str, Any]:
    services = load_compose().get("services") or {}
    assert name in services, f"service {name!r} missing from compose.yaml"
    return services[name]


def as_words(command: str | list[str]) -> list[str]:
    return command.split() if isinstance(command, str) else [str(part) for part in command]


@pytest.mark.parametrize("name", INFRA_SERVICES + APP_SERVICES)
def test_required_service_exists(name: str) -> None:
    assert isinstance(service(name), dict)


@pytest.mark.parametrize("name", INFRA_SERVICES)
def test_infra_service_has_healthcheck(name: str) -> None:
    test = service(name).get("healthcheck", {}).get("test")
    assert test, f"{name} healthcheck has no test"
    assert as_words(test) not in (["NONE"], [])


def test_gateway_publishes_port_8080() -> None:
    ports = [str(port) for port in service("gateway").get("ports", [])]
    assert any(re.fullmatch(r"(?:[\d.]+:)?8080:8080(?:/tcp)?", port) for port in ports), ports


@pytest.mark.parametrize("name", INFRA_SERVICES)
def test_init_waits_for_healthy_infra(name: str) -> None:
    depends_on = service("init").get("depends_on", {})
    assert isinstance(depends_on, dict), "init depends_on must use the long form"
    assert depends_on.get(name, {}).get("condition") == "service_healthy"


def test_init_is_a_one_shot_job() -> None:
    init = service("init")
    assert str(init.get("restart")) == "no"
    assert as_words(init["command"]) == ["switchboard", "init"]


@pytest.mark.parametrize("name", AFTER_INIT_SERVICES)
def test_app_service_waits_for_init(name: str) -> None:
    depends_on = service(name).get("depends_on", {})
    assert isinstance(depends_on, dict), f"{name} depends_on must use the long form"
    assert depends_on.get("init", {}).get("condition") == "service_completed_successfully"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_builds_from_deploy_dockerfile(name: str) -> None:
    build = service(name).get("build")
    assert isinstance(build, dict), f"{name} has no build section"
    assert build.get("dockerfile") == "deploy/Dockerfile"
    assert (ROOT / build.get("context", ".") / build["dockerfile"]).resolve() == DOCKERFILE


@pytest.mark.parametrize("group", HANDLER_GROUPS)
def test_handler_command_names_its_group(group: str) -> None:
    assert as_words(service(group)["command"]) == ["python", "-m", "handlers", group]


def test_app_services_require_a_jwt_secret() -> None:
    for name in APP_SERVICES:
        env = service(name).get("environment", {})
        assert "${SWITCHBOARD_JWT_SECRET:?" in env.get("SWITCHBOARD_JWT_SECRET", ""), name
        assert env.get("SWITCHBOARD_KAFKA_BOOTSTRAP") == "kafka:9092", name


def test_dockerfile_uses_python_311_and_a_non_root_user() -> None:
    assert DOCKERFILE.is_file(), f"{DOCKERFILE} is missing"
    lines = [line.strip() for line in DOCKERFILE.read_text(encoding="utf-8").splitlines()]
    from_lines = [line for line in lines if line.upper().startswith("FROM ")]
    assert any("python:3.11" in line for line in from_lines), from_lines
    users = [line.split(None, 1)[1] for line in lines if line.upper().startswith("USER ")]
    assert users, "Dockerfile never sets USER"
    assert users[-1].split(":")[0] not in {"root", "0"}, users[-1]

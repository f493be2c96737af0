"""Stores are namespaced like topics: `make up`, each test session and each bench run on one
machine get their own database, bucket, collection and embedded-store directory."""

from pathlib import Path

from config.settings import Settings
from storage.analytics.factory import analytics_database, chdb_directory, store_location


def test_the_unprefixed_deployment_uses_the_plain_names() -> None:
    settings = Settings(topic_prefix="", chdb_path=".run/chdb")
    assert settings.store_namespace == ""
    assert analytics_database(settings) == "switchboard"
    assert chdb_directory(settings) == Path(".run/chdb/main")


def test_a_prefixed_deployment_gets_names_of_its_own() -> None:
    settings = Settings(topic_prefix="tA1b2.", chdb_path="/data/chdb")
    assert settings.store_namespace == "ta1b2"
    assert analytics_database(settings) == "switchboard_ta1b2"
    assert chdb_directory(settings) == Path("/data/chdb/ta1b2")
    server = settings.model_copy(
        update={"analytics_backend": "clickhouse", "clickhouse_url": "http://u:secret@ch:8123"}
    )
    assert store_location(server) == "clickhouse http://u@ch:8123 database switchboard_ta1b2"

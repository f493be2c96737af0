"""The sink's batch maths: decode what can be decoded, commit one past the last record."""

import uuid

from aiokafka import ConsumerRecord, TopicPartition

from contracts.events import DomainEvent, WorkspaceCreated
from handlers.analytics.batch import decode, next_offsets


def record(partition: int, offset: int, value: bytes) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(
        topic="events",
        partition=partition,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=None,
        value=value,
        checksum=None,
        serialized_key_size=0,
        serialized_value_size=len(value),
        headers=[],
    )


def test_commits_one_past_the_last_record_of_each_partition() -> None:
    records = [record(0, 5, b""), record(1, 9, b""), record(0, 7, b""), record(0, 6, b"")]
    assert next_offsets(records) == {
        TopicPartition("events", 0): 8,
        TopicPartition("events", 1): 10,
    }


def test_undecodable_records_are_set_aside_and_the_rest_become_rows() -> None:
    event = DomainEvent.of(WorkspaceCreated(name="Acme"), uuid.uuid4())
    good = record(0, 1, event.model_dump_json().encode())
    batch = decode([record(0, 0, b"not json"), good, record(0, 2, b'{"type": "x"}')])
    assert [row["event_id"] for row in batch.rows] == [str(event.event_id)]
    assert [r.offset for r in batch.undecodable] == [0, 2]

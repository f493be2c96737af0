"""What the sink does with one batch of `events` records, apart from I/O: decode and commit maths."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from aiokafka import ConsumerRecord, TopicPartition
from pydantic import ValidationError

from contracts.events import DomainEvent
from storage.analytics import event_row
from storage.analytics.port import EventRow


@dataclass
class DecodedBatch:
    rows: list[EventRow] = field(default_factory=list)
    # Records that are no DomainEvent: logged and skipped, since no retry can ever store them.
    undecodable: list[ConsumerRecord[bytes, bytes]] = field(default_factory=list)


def decode(records: Iterable[ConsumerRecord[bytes, bytes]]) -> DecodedBatch:
    batch = DecodedBatch()
    for record in records:
        try:
            event = DomainEvent.model_validate_json(record.value or b"")
        except ValidationError:
            batch.undecodable.append(record)
            continue
        batch.rows.append(event_row(event))
    return batch


def next_offsets(records: Iterable[ConsumerRecord[bytes, bytes]]) -> dict[TopicPartition, int]:
    """The offsets to commit once `records` are stored: per partition, one past the last."""
    offsets: dict[TopicPartition, int] = {}
    for record in records:
        partition = TopicPartition(record.topic, record.partition)
        offsets[partition] = max(offsets.get(partition, 0), record.offset + 1)
    return offsets

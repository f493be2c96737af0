"""How a reply travels: JSON bytes with the request's trace and operation ids in its headers."""

import orjson
from faststream.kafka import KafkaResponse

from contracts.envelope import Header, Reply


def reply_response(reply: Reply, trace_id: str, operation_id: str) -> KafkaResponse:
    return KafkaResponse(
        orjson.dumps(reply.model_dump(mode="json")),
        headers={
            Header.CONTENT_TYPE: "application/json",
            Header.TRACE_ID: trace_id,
            Header.OPERATION_ID: operation_id,
        },
    )

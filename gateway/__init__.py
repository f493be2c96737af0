"""The HTTP edge: turns each `/v1` request into a Kafka command and the reply into a response."""

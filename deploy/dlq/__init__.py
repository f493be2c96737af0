"""Dead letters: read them from the `*.dlq` topics, replay them to where they came from."""

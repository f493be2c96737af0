"""What every consumer group shares: decode, authenticate, dispatch, idempotency, dead letters."""

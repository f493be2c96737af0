"""Process configuration, read once per process by its composition root and passed down."""

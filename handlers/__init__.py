"""Consumer groups: `auth`, `bots`, `conversations`; each a FastStream app over the shared runtime."""

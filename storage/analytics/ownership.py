"""Who holds an embedded chDB directory: the engine flocks `<dir>/status` while it runs.

Kept apart from the engine so that tools can ask without loading chDB itself.
"""

import fcntl
import os
from pathlib import Path


class StoreHeldElsewhere(RuntimeError):
    """Another process runs the embedded engine on this directory."""


def held_elsewhere(path: Path) -> bool:
    """Whether a running engine (another process, or another session here) locks `path`."""
    try:
        fd = os.open(path / "status", os.O_RDONLY)
    except FileNotFoundError:
        return False  # never opened, or closed cleanly (the engine removes the file)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops our probe lock, if we got it
    return False

"""What a change changed, as the audit log records it."""

from collections.abc import Mapping
from typing import Any


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """`{"before": ..., "after": ...}` of the fields of `after` whose value differs, else `{}`.

    >>> changed_fields({"name": "a", "description": "d"}, {"name": "b", "description": "d"})
    {'before': {'name': 'a'}, 'after': {'name': 'b'}}
    """
    changed = [field for field, value in after.items() if before.get(field) != value]
    if not changed:
        return {}
    return {
        "before": {field: before.get(field) for field in changed},
        "after": {field: after[field] for field in changed},
    }

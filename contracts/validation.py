"""How a pydantic validation failure is described to the caller: one entry per bad field."""

from typing import Any

from pydantic import ValidationError


def field_errors(exc: ValidationError) -> dict[str, Any]:
    return {
        "fields": [
            {
                "field": ".".join(str(part) for part in err["loc"]) or "body",
                "message": err["msg"],
                "type": err["type"],
            }
            for err in exc.errors(include_url=False, include_input=False)
        ]
    }

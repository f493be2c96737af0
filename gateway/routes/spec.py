"""A route of the API, declared as data: the gateway, its OpenAPI document and the cross-tenant
tests are all generated from these."""

from dataclasses import dataclass

from pydantic import BaseModel


@dataclass(frozen=True)
class RouteSpec:
    method: str
    path: str
    command_type: str
    summary: str
    status: int = 200
    auth: bool = True
    response: type[BaseModel] | None = None
    tag: str = ""
    # Signed webhooks: the body travels as raw text (its signature covers the exact bytes),
    # with the `X-Event-Id` and `X-Signature` headers beside it.
    raw_body: bool = False
    # Statuses this route answers beyond those every route may (OpenAPI documents them):
    # 401 for anonymous routes that check a credential, 403 for owner-only ones.
    errors: tuple[int, ...] = ()

    @property
    def path_params(self) -> list[str]:
        return [part[1:-1] for part in self.path.split("/") if part.startswith("{")]

    @property
    def has_body(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH")

"""Payloads and replies of the `auth` commands.

Emails are checked with a pragmatic pattern (one `@`, a dotted ASCII domain, RFC 5321 lengths;
`email-validator` is not a dependency) and normalised to lower case, which is how they are
stored and compared.
"""

import re
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from contracts.commands.common import Page, PageQuery, Payload

_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}"
    r"@(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
)


def _email(value: str) -> str:
    value = value.strip().lower()
    local = value.partition("@")[0]
    if not _EMAIL.fullmatch(value) or local.startswith(".") or local.endswith(".") or ".." in local:
        raise ValueError("not a valid email address")
    return value


Email = Annotated[str, StringConstraints(max_length=320), AfterValidator(_email)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
NewPassword = Annotated[str, Field(min_length=8, max_length=128)]
# A password too short for today's rule is still just a wrong password at login.
GivenPassword = Annotated[str, Field(min_length=1, max_length=128)]
OpaqueToken = Annotated[str, Field(min_length=1, max_length=512)]


class Register(Payload):
    """`auth.register`: a user and their own workspace. Names default to the email's local part."""

    email: Email
    password: NewPassword
    workspace_name: Name | None = None
    display_name: Name | None = None


class Login(Payload):
    email: Email
    password: GivenPassword


class Me(Payload):
    """`auth.me`: who the bearer token speaks for."""


class Refresh(Payload):
    """`auth.refresh`: rotate a refresh token (it is used up) into a new access+refresh pair."""

    refresh_token: OpaqueToken


class Logout(Payload):
    """`auth.logout`: revoke the family of a refresh token (204 even for an unknown token)."""

    refresh_token: OpaqueToken


class CreateIntegrationToken(Payload):
    name: Name


class ListIntegrationTokens(PageQuery):
    """Live (non-revoked) tokens, newest first, paginated like every list."""


class RevokeIntegrationToken(Payload):
    token_id: UUID


PAYLOADS: dict[str, type[BaseModel]] = {
    "auth.register": Register,
    "auth.login": Login,
    "auth.me": Me,
    "auth.refresh": Refresh,
    "auth.logout": Logout,
    "auth.create_integration_token": CreateIntegrationToken,
    "auth.list_integration_tokens": ListIntegrationTokens,
    "auth.revoke_integration_token": RevokeIntegrationToken,
}


class UserInfo(BaseModel):
    id: UUID
    email: str
    display_name: str


class WorkspaceInfo(BaseModel):
    id: UUID
    name: str


class TokenPair(BaseModel):
    """What `auth.refresh` answers: a new access token and the refresh token to use next."""

    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="Lifetime of the access token, in seconds")


class AuthSession(TokenPair):
    """What register (201) and login (200) answer."""

    user: UserInfo
    workspace: WorkspaceInfo


class WhoAmI(BaseModel):
    """`auth.me`: `user` is the creating owner for an integration token (null if gone)."""

    user: UserInfo | None
    workspace: WorkspaceInfo
    role: Literal["owner", "member", "integration"]


class IntegrationToken(BaseModel):
    id: UUID
    name: str
    created_at: datetime
    last_used_at: datetime | None


class NewIntegrationToken(BaseModel):
    """The one answer that carries the token itself."""

    id: UUID
    name: str
    token: str
    created_at: datetime


class IntegrationTokenPage(Page[IntegrationToken]):
    pass

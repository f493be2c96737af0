"""`auth.register`: a user, their workspace and owner membership, two audit entries, two domain
events (`user.registered`, `workspace.created`), a session.

Idempotent per email: the operation id is scoped to `email:<email>`. A duplicate email is 409
`EMAIL_TAKEN`, also when registrations of one email race under different operation ids: the
unique email index lets exactly one insert through (see `accounts.insert_user`).
"""

import uuid

from contracts.commands.auth import Register, UserInfo, WorkspaceInfo
from contracts.envelope import Reply
from contracts.errors import DomainError, ErrorCode
from contracts.events import DomainEvent, EventData, UserRegistered, WorkspaceCreated
from handlers.auth import accounts
from handlers.auth.sessions import Issuer, redact_tokens, replay_session, session
from handlers.runtime.context import Context
from handlers.runtime.registry import HandlerSpec
from security.passwords import Passwords
from storage.uow import Transaction


def email_taken() -> DomainError:
    return DomainError(
        ErrorCode.EMAIL_TAKEN,
        "an account with this email already exists",
        {"fields": [{"field": "email", "message": "already registered"}]},
    )


def new_account_event(
    ctx: Context, data: EventData, user: UserInfo, workspace: WorkspaceInfo
) -> DomainEvent:
    """Register is anonymous: like its audit entries, its events name the workspace and the user
    it made (the user as the actor)."""
    event = ctx.event(data, workspace_id=workspace.id)
    return event.model_copy(update={"actor_user_id": user.id})


def spec(issuer: Issuer, passwords: Passwords) -> HandlerSpec:
    async def register(cmd: Register, ctx: Context, tx: Transaction) -> Reply:
        # Cheap early answer for the common duplicate, before a quarter second of hashing.
        if await accounts.email_taken(tx.conn, cmd.email):
            raise email_taken()
        password_hash = await passwords.hash(cmd.password)
        local_part = cmd.email.partition("@")[0]
        user = UserInfo(
            id=uuid.uuid4(), email=cmd.email, display_name=cmd.display_name or local_part
        )
        if not await accounts.insert_user(tx.conn, user, password_hash):
            raise email_taken()
        workspace = WorkspaceInfo(id=uuid.uuid4(), name=cmd.workspace_name or local_part)
        # From here on the transaction acts for the new tenant (row-level security).
        await tx.act_for_workspace(workspace.id)
        await accounts.insert_workspace(tx.conn, workspace)
        await accounts.add_member(tx.conn, workspace.id, user.id, "owner")
        actor = ctx.actor(workspace_id=workspace.id, user_id=user.id)
        user_fields = {"email": user.email, "display_name": user.display_name}
        await tx.audit.record(actor, "user.created", "user", user.id, user_fields)
        await tx.audit.record(
            actor, "workspace.created", "workspace", workspace.id, {"name": workspace.name}
        )
        await tx.outbox.add(
            new_account_event(ctx, UserRegistered(user_id=user.id), user, workspace),
            new_account_event(ctx, WorkspaceCreated(name=workspace.name), user, workspace),
        )
        pair = await issuer.new_family(tx, user.id, workspace.id, "owner")
        return Reply.success(201, session(pair, user, workspace))

    return HandlerSpec(
        "auth.register",
        Register,
        register,
        auth="anonymous",
        scope=lambda cmd: f"email:{cmd.email.lower()}",
        redact=redact_tokens,
        on_replay=replay_session(issuer),
    )

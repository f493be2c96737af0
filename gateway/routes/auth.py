"""The `auth` routes."""

from contracts.commands.auth import (
    AuthSession,
    IntegrationTokenPage,
    NewIntegrationToken,
    TokenPair,
    WhoAmI,
)
from gateway.routes.spec import RouteSpec

TOKENS = "/v1/auth/integration-tokens"

ROUTES: list[RouteSpec] = [
    RouteSpec(
        "POST",
        "/v1/auth/register",
        "auth.register",
        "Register a user with a workspace of their own",
        status=201,
        auth=False,
        response=AuthSession,
        tag="auth",
    ),
    RouteSpec(
        "POST",
        "/v1/auth/login",
        "auth.login",
        "Log in with email and password",
        auth=False,
        errors=(401,),
        response=AuthSession,
        tag="auth",
    ),
    RouteSpec(
        "GET", "/v1/auth/me", "auth.me", "Who the token speaks for", response=WhoAmI, tag="auth"
    ),
    RouteSpec(
        "POST",
        "/v1/auth/refresh",
        "auth.refresh",
        "Rotate a refresh token into a new access and refresh token",
        auth=False,
        errors=(401,),
        response=TokenPair,
        tag="auth",
    ),
    RouteSpec(
        "POST",
        "/v1/auth/logout",
        "auth.logout",
        "Revoke a refresh token and its whole family",
        status=204,
        auth=False,
        tag="auth",
    ),
    RouteSpec(
        "POST",
        TOKENS,
        "auth.create_integration_token",
        "Mint an integration token (owner only; the token is shown only here)",
        status=201,
        response=NewIntegrationToken,
        tag="auth",
        errors=(403,),
    ),
    RouteSpec(
        "GET",
        TOKENS,
        "auth.list_integration_tokens",
        "List the live integration tokens, without their secrets (owner only)",
        response=IntegrationTokenPage,
        tag="auth",
        errors=(403,),
    ),
    RouteSpec(
        "DELETE",
        TOKENS + "/{token_id}",
        "auth.revoke_integration_token",
        "Revoke an integration token (owner only)",
        status=204,
        tag="auth",
        errors=(403,),
    ),
]

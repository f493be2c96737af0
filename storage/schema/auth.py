"""Workspaces, users, memberships, refresh and integration tokens (owned by the `auth` group)."""

"""Token and secret primitives shared by the gateway (early rejection) and the handlers (authority)."""

"""Wire models shared by the gateway, the handler groups and integrations.

Nothing here imports other Switchboard packages: an integration can vendor this package alone.
"""

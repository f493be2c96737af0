"""URLs fit for logs and check output."""


def redacted_url(url: str) -> str:
    """The URL without its password, fit for logs and check output."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if not at:
        return url
    return f"{scheme}{sep}{userinfo.split(':', 1)[0]}@{host}"

"""Settings refuse a weak or default signing secret anywhere but in development."""

import pytest
from pydantic import ValidationError

from config.settings import DEV_JWT_SECRET, Settings


@pytest.mark.parametrize("environment", ["test", "production"])
@pytest.mark.parametrize("secret", [DEV_JWT_SECRET, "short", "x" * 31])
def test_a_weak_or_default_secret_is_refused_outside_development(
    environment: str, secret: str
) -> None:
    with pytest.raises(ValidationError, match="32\\+ bytes"):
        Settings(environment=environment, jwt_secret=secret)


def test_a_strong_secret_is_accepted_and_development_keeps_its_default() -> None:
    assert Settings(environment="production", jwt_secret="k" * 32).environment == "production"
    assert Settings(environment="development").jwt_secret.get_secret_value() == DEV_JWT_SECRET

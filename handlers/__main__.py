"""`python -m handlers <auth|bots|conversations>`: run one consumer group until SIGTERM."""

import asyncio
import sys

from config.logging import configure_logging
from config.settings import Settings
from contracts.topics import SERVICES, Service
from handlers.app import create_app


def main(argv: list[str]) -> None:
    if len(argv) != 1 or argv[0] not in SERVICES:
        sys.exit(f"usage: python -m handlers {{{'|'.join(SERVICES)}}}")
    service: Service = argv[0]
    settings = Settings()
    configure_logging(settings.log_level)
    asyncio.run(create_app(service, settings).run())


if __name__ == "__main__":
    main(sys.argv[1:])

"""`python -m gateway`: serve the API until SIGTERM."""

from aiohttp import web
from redis.asyncio import Redis

from config.logging import configure_logging
from config.settings import Settings
from contracts.topics import reply_topic
from gateway.app import create_app
from gateway.bus_client import BusClient
from storage.rate_limit import RateLimiter


async def build(settings: Settings) -> web.Application:
    bus = BusClient(
        settings.kafka_bootstrap,
        reply_topic(settings.gateway_instance_id, settings.topic_prefix),
        settings.reply_timeout_s,
    )
    redis = Redis.from_url(settings.redis_url)
    app = create_app(settings, bus, RateLimiter(redis))

    async def start(_: web.Application) -> None:
        await bus.start()

    async def stop(_: web.Application) -> None:
        await bus.stop()
        await redis.aclose()

    app.on_startup.append(start)
    app.on_cleanup.append(stop)
    return app


def main() -> None:
    settings = Settings()
    configure_logging(settings.log_level)
    web.run_app(
        build(settings),
        host=settings.gateway_host,
        port=settings.gateway_port,
        access_log=None,
        print=None,
    )


if __name__ == "__main__":
    main()

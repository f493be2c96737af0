"""Attaches the event sink to the `analytics` group's FastStream app (called by `handlers.app`)."""

from faststream import FastStream

from config.settings import Settings
from handlers.analytics.sink import EventSink
from handlers.analytics.store_handle import StoreHandle
from storage.analytics.factory import release_embedded_engine


def attach_event_sink(app: FastStream, settings: Settings) -> None:
    """The sink starts once the command subscribers run and stops before the broker does; the
    embedded engine (if any) is shut down last, when no command can query it any more."""
    sink = EventSink(settings, StoreHandle(settings))
    app.after_startup(sink.start)
    app.on_shutdown(sink.stop)
    app.after_shutdown(release_embedded_engine)

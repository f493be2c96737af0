"""The `conversations` routes."""

from contracts.commands.conversations import Thread, ThreadList, ThreadMessageList, TurnResult
from gateway.routes.spec import RouteSpec

TAG = "conversations"
THREADS = "/v1/conversations/threads"

ROUTES: list[RouteSpec] = [
    RouteSpec(
        "POST",
        THREADS,
        "conversations.create_thread",
        "Open a thread on a bot, pinned to the bot's current version",
        status=201,
        response=Thread,
        tag=TAG,
    ),
    RouteSpec(
        "GET",
        THREADS,
        "conversations.list_threads",
        "List the workspace's threads, newest first",
        response=ThreadList,
        tag=TAG,
    ),
    RouteSpec(
        "GET",
        f"{THREADS}/{{thread_id}}",
        "conversations.get_thread",
        "Get one thread",
        response=Thread,
        tag=TAG,
    ),
    RouteSpec(
        "GET",
        f"{THREADS}/{{thread_id}}/messages",
        "conversations.list_messages",
        "List a thread's messages in order",
        response=ThreadMessageList,
        tag=TAG,
    ),
    RouteSpec(
        "POST",
        f"{THREADS}/{{thread_id}}/turn",
        "conversations.turn",
        "Send a user message and get the model's answer",
        response=TurnResult,
        tag=TAG,
    ),
]

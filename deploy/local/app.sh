#!/usr/bin/env bash
# The Switchboard processes: the gateway and one process per handler group.
# Usage: app.sh start|stop|status
source "$(dirname "$0")/common.sh"

GROUPS_="auth bots conversations analytics"
PORT="${SWITCHBOARD_GATEWAY_PORT:-8080}"

launch() {
  local name=$1; shift
  if pid_alive "$PIDS/$name.pid"; then say "$name already running (pid $(cat "$PIDS/$name.pid"))"; return 0; fi
  # exec all the way down, so the pid we record is the Python process itself.
  (cd "$ROOT" && exec nohup "$VENV/bin/python" -m "$@" >"$LOGS/$name.log" 2>&1) &
  echo $! >"$PIDS/$name.pid"
  say "$name started (pid $(cat "$PIDS/$name.pid"), log $LOGS/$name.log)"
}

start() {
  if ! pid_alive "$PIDS/gateway.pid" && port_open "$PORT"; then
    die "port $PORT is taken by another process; stop it or set SWITCHBOARD_GATEWAY_PORT"
  fi
  for group in $GROUPS_; do launch "$group" handlers "$group"; done
  launch gateway gateway
  say "waiting for http://127.0.0.1:$PORT/readyz"
  for _ in $(seq 1 180); do
    for name in $GROUPS_ gateway; do
      pid_alive "$PIDS/$name.pid" || { tail -n 30 "$LOGS/$name.log" >&2; die "$name exited; its log is $LOGS/$name.log"; }
    done
    if "$VENV/bin/python" - "$PORT" <<'PY' 2>/dev/null; then
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/readyz", timeout=5)
PY
      say "ready: http://127.0.0.1:$PORT (readyz 200)"; return 0
    fi
    sleep 0.5
  done
  die "the gateway did not become ready in 90 s; logs are in $LOGS (gateway.log, auth.log, bots.log, conversations.log)"
}

stop() {
  stop_pid "$PIDS/gateway.pid" gateway
  for group in $GROUPS_; do stop_pid "$PIDS/$group.pid" "$group"; done
}

status() {
  for name in gateway $GROUPS_; do
    pid_alive "$PIDS/$name.pid" && echo "$name: running (pid $(cat "$PIDS/$name.pid"))" || echo "$name: stopped"
  done
}

"${1:?usage: app.sh start|stop|status}"

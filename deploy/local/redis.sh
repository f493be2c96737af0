#!/usr/bin/env bash
# Redis from Debian's packages, in-memory only (rate limits and fast duplicate checks).
# Usage: redis.sh start|stop|status
source "$(dirname "$0")/common.sh"

PORT="${REDIS_PORT:-6379}"
PIDFILE="$PIDS/redis.pid"
LOG="$LOGS/redis.log"

start() {
  if pid_alive "$PIDFILE"; then say "already running (pid $(cat "$PIDFILE"))"; return 0; fi
  command -v redis-server >/dev/null || apt_install redis-server
  port_open "$PORT" && die "port $PORT is taken by another process; stop it or set REDIS_PORT"
  mkdir -p "$RUN/redis"
  say "starting Redis on 127.0.0.1:$PORT"
  redis-server --bind 127.0.0.1 --port "$PORT" --daemonize yes --pidfile "$PIDFILE" \
    --dir "$RUN/redis" --logfile "$LOG" --save "" --appendonly no \
    || die "redis-server failed to start; its log is $LOG"
  for _ in $(seq 1 20); do [ -s "$PIDFILE" ] && break; sleep 0.25; done
  wait_port "$PORT" 20 "$PIDFILE" redis "$LOG"
  say "Redis is up (pid $(cat "$PIDFILE"))"
}

stop() { stop_pid "$PIDFILE" redis; }

status() { pid_alive "$PIDFILE" && echo "redis: running (pid $(cat "$PIDFILE"))" || echo "redis: stopped"; }

"${1:?usage: redis.sh start|stop|status}"

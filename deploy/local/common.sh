# Shared helpers for the local stack scripts (sourced, not run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN="${SWITCHBOARD_RUN_DIR:-$ROOT/.run}"
CACHE="${SWITCHBOARD_CACHE_DIR:-$ROOT/.cache}"
LOGS="$RUN/logs"
PIDS="$RUN/pids"
VENV="$ROOT/.venv"
mkdir -p "$RUN" "$LOGS" "$PIDS" "$CACHE"
chmod 755 "$RUN"

say() { echo "[$(basename "$0" .sh)] $*"; }
die() { echo "[$(basename "$0" .sh)] ERROR: $*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# apt_install PKG... : install Debian packages that are missing (needs root).
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "missing packages ${missing[*]}; install them (apt-get install ${missing[*]}) or run as root"
  say "installing ${missing[*]} (apt-get)"
  if [ ! -f "$RUN/.apt-updated" ]; then
    apt-get update -qq >"$LOGS/apt.log" 2>&1 || die "apt-get update failed; see $LOGS/apt.log"
    touch "$RUN/.apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >>"$LOGS/apt.log" 2>&1 || die "apt-get install ${missing[*]} failed; see $LOGS/apt.log"
}

# wait_port PORT SECONDS PIDFILE NAME LOG: wait for a listener, fail fast if the process died.
wait_port() {
  local port=$1 seconds=$2 pidfile=$3 name=$4 log=$5
  for _ in $(seq 1 $((seconds * 2))); do
    port_open "$port" && return 0
    if [ -n "$pidfile" ] && ! pid_alive "$pidfile"; then
      tail -n 30 "$log" >&2 || true
      die "$name exited during start-up; its log is $log"
    fi
    sleep 0.5
  done
  tail -n 30 "$log" >&2 || true
  die "$name did not listen on 127.0.0.1:$port within ${seconds}s; its log is $log"
}

# stop_pid PIDFILE NAME: SIGTERM, wait up to 30 s, then SIGKILL.
stop_pid() {
  local pidfile=$1 name=$2
  if ! pid_alive "$pidfile"; then rm -f "$pidfile"; return 0; fi
  local pid; pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then say "$name did not stop in 30 s; killing"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$pidfile"
  say "$name stopped"
}

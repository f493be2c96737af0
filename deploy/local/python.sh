#!/usr/bin/env bash
# The project's virtualenv in .venv, reinstalled only when pyproject.toml changes.
source "$(dirname "$0")/common.sh"

PY="${PYTHON:-python3}"
command -v "$PY" >/dev/null || die "python3 (>= 3.11) is required"
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || die "python >= 3.11 is required, found $("$PY" --version)"
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV" 2>/dev/null || { apt_install python3-venv; "$PY" -m venv "$VENV"; }
fi
stamp="$VENV/.installed-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  say "installing Python dependencies into .venv"
  "$VENV/bin/pip" install -q --upgrade pip >"$LOGS/pip.log" 2>&1
  "$VENV/bin/pip" install -q -e "$ROOT[dev]" >>"$LOGS/pip.log" 2>&1 || die "pip install failed; see $LOGS/pip.log"
  rm -f "$VENV"/.installed-*; touch "$stamp"
fi

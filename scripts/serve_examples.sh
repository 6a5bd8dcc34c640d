#!/usr/bin/env bash
# The course server with its embedded defaults (SQLite next to course.toml, an in-process worker
# pool, the default sandbox): issues a token per roster student and a TA and an instructor token
# the first time (grader-server/tokens.csv, mode 0600), then serves in the foreground until Ctrl-C.
# SERVE=0 skips it (make examples then only grades). PORT picks the port (default 8000).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SERVE:-1}" = "0" ] && exit 0
port=${PORT:-8000}
mkdir -p grader-server
if [ ! -s grader-server/tokens.csv ]; then
  (umask 077 && grader tokens issue --staff ta1:ta --staff prof:instructor > grader-server/tokens.csv)
fi
echo "Tokens to hand out: grader-server/tokens.csv (students submit with"
echo "  grader login http://127.0.0.1:$port   then   grader submit EXERCISE FILE --to http://127.0.0.1:$port)"
echo "Browser: http://127.0.0.1:$port/ (sign in with a token). Ctrl-C stops the server."
exec grader serve --port "$port"

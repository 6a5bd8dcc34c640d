#!/usr/bin/env bash
# The course server's services for the tests (and a single-host deployment): Redis (the Celery broker),
# PostgreSQL (the multi-host database) and one Celery worker (`grader worker`) for the toy test course.
# On a fresh Debian machine (as root): apt-installs redis-server and postgresql if missing, starts them
# without systemd, creates the role the tests use (grader/grader, CREATEDB), and starts the worker
# logging to /tmp/grader-ci-worker/worker.log. Idempotent; every wait is bounded; never fails the caller
# (without a service the tests that need it skip and say why).
set -uo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
REDIS_URL=${GRADER_TEST_REDIS:-redis://127.0.0.1:6379/0}
CI_WORKER_DIR=${GRADER_CI_WORKER_DIR:-/tmp/grader-ci-worker}

missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  { apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; } \
    || echo "setup_services: could not install ${missing[*]}" >&2
fi

# --- Redis ---------------------------------------------------------------------------------------
if command -v redis-server >/dev/null && ! timeout 5 redis-cli ping >/dev/null 2>&1; then
  redis-server --daemonize yes --port 6379 --bind 127.0.0.1 --dir /tmp --logfile /tmp/redis-grader.log
  for _ in $(seq 1 30); do timeout 2 redis-cli ping >/dev/null 2>&1 && break; sleep 0.5; done
fi

# --- PostgreSQL ----------------------------------------------------------------------------------
if command -v pg_lsclusters >/dev/null; then
  version=$(pg_lsclusters -h 2>/dev/null | awk '$2 == "main" {print $1; exit}')
  if [ -z "$version" ]; then
    version=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
    [ -n "$version" ] && pg_createcluster "$version" main >/dev/null 2>&1
  fi
  if [ -n "$version" ]; then
    pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do timeout 5 su postgres -c "psql -tAc 'select 1'" >/dev/null 2>&1 && break; sleep 0.5; done
    timeout 10 su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<'SQL' || echo "setup_services: could not create the grader role" >&2
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'grader') THEN
    CREATE ROLE grader LOGIN PASSWORD 'grader' CREATEDB;
  END IF;
END $$;
SQL
  fi
fi

# --- the CI Celery worker (tests/test_server_queue.py uses it) ------------------------------------
# One worker for a copy of the toy test course, on its own queues (grader-ci-live / grader-ci-regrade)
# and its own SQLite database, so nothing else on the broker is touched. Restarted on every run.
if timeout 5 redis-cli ping >/dev/null 2>&1; then
  if [ -f "$CI_WORKER_DIR/worker.pid" ]; then
    old=$(cat "$CI_WORKER_DIR/worker.pid")
    if kill -0 "$old" 2>/dev/null && grep -q "grader" "/proc/$old/cmdline" 2>/dev/null; then
      kill "$old"; for _ in $(seq 1 20); do kill -0 "$old" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$old" 2>/dev/null || true
    fi
  fi
  rm -rf "$CI_WORKER_DIR" && mkdir -p "$CI_WORKER_DIR"
  cp -r tests/course "$CI_WORKER_DIR/course"
  nohup python3 cli.py worker --course "$CI_WORKER_DIR/course" --broker "$REDIS_URL" \
    --db "$CI_WORKER_DIR/server.sqlite" --data "$CI_WORKER_DIR/data" --queue-prefix grader-ci --sandbox local --concurrency 1 \
    >"$CI_WORKER_DIR/worker.log" 2>&1 &
  echo $! >"$CI_WORKER_DIR/worker.pid"
else
  echo "setup_services: no Redis: the queue tests will skip" >&2
fi
exit 0

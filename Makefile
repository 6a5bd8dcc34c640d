# The two commands a newcomer needs (see README.md). Both install what they need first.
.PHONY: setup examples test lint

setup:
	bash scripts/setup.sh

# Grade the bundled example submissions with the default sandbox into results/, then start the course
# server with its embedded defaults (SQLite, in-process workers) in the foreground (SERVE=0: grade only).
examples: setup
	bash scripts/grade_examples.sh results
	bash scripts/serve_examples.sh

# Run the test suite against the real services: installs Docker and Chromium, starts dockerd, builds the
# worker image (scripts/setup_docker.sh); installs and starts Redis and PostgreSQL and a Celery worker for
# the course server's tests (scripts/setup_services.sh); then runs pytest (exit 5, "no tests collected",
# is a failure, and so is any skipped test: a skip means a service was missing).
test: setup
	bash scripts/setup_docker.sh
	bash scripts/setup_services.sh
	GRADER_FAIL_ON_SKIP=1 python3 -m pytest -q -rs; status=$$?; if [ $$status -eq 5 ]; then echo "no tests collected" >&2; exit 1; fi; exit $$status

lint:
	ruff check grader cli.py tests bench hidden_tests exercises/*/tests && mypy

# The two commands a newcomer needs (see README.md). Both install what they need first.
.PHONY: setup examples test lint

setup:
	bash scripts/setup.sh

# Grade the bundled example submissions with the default sandbox into results/.
examples: setup
	bash scripts/grade_examples.sh results

# Run the test suite against the real services: installs Docker and Chromium, starts dockerd, builds the
# worker image (scripts/setup_docker.sh); installs and starts Redis and PostgreSQL and a Celery worker for
# the course server's tests (scripts/setup_services.sh); then runs pytest (exit 5, "no tests collected",
# is a failure).
test: setup
	bash scripts/setup_docker.sh
	bash scripts/setup_services.sh
	python3 -m pytest -q; status=$$?; if [ $$status -eq 5 ]; then echo "no tests collected" >&2; exit 1; fi; exit $$status

lint:
	ruff check grader cli.py tests bench hidden_tests exercises/*/tests && mypy

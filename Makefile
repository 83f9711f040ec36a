# The two commands of the README: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test e2e lint format check bench bench-queue clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing python3-venv with apt-get..."; \
			apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && \
			rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); \
		else \
			echo "Python cannot create a virtual environment: run 'sudo apt-get install python3-venv', then again."; \
			rm -rf $(VENV); exit 1; \
		fi; }

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet --editable . --group dev
	@touch $(STAMP)

run: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_seed_content
	DJANGO_DEBUG=1 $(BIN)/python manage.py rerender_comments
	@echo "The site is at http://$(HOST):$(PORT)/ - create a staff account with:"
	@echo "  DJANGO_DEBUG=1 $(BIN)/python manage.py createsuperuser"
	@# The task worker (mail, linkbacks) runs beside the server and stops with it.
	DJANGO_DEBUG=1 $(BIN)/python manage.py db_worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/pytest

# Only the browser tests, with Debian's chromium: those marked e2e, which .ci/run leaves out of
# `make test` (tests/e2e, and any browser test kept next to its app). Fresh screenshots each run.
e2e: $(STAMP)
	rm -rf build/screenshots && mkdir -p build/screenshots
	$(BIN)/pytest -m e2e

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py check
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# Times a post's page with 10, 1,000 and 5,000 threaded comments, configured as in production.
bench: $(STAMP)
	DJANGO_SECRET_KEY=bench $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SECRET_KEY=bench DJANGO_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend \
		$(BIN)/python manage.py bench_discussion
	$(MAKE) --no-print-directory bench-queue

# Times the moderators' queue with 100,000 comments and a bulk approval of 1,000 (numbers, no
# verdict). PostgreSQL, as in production: DATABASE_URL=postgres://... make bench-queue
bench-queue: $(STAMP)
	DJANGO_SECRET_KEY=bench $(BIN)/python manage.py collectstatic --noinput -v0
	@# The mail is queued in the database, as in production, not sent during the request.
	DJANGO_SECRET_KEY=bench $(BIN)/python manage.py bench_queue

clean:
	rm -rf $(VENV) build staticfiles

# The two commands of the README: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The address `make run` builds its links with: where it serves, unless SITE_URL is set.
RUN_SITE_URL := $(or $(SITE_URL),http://$(HOST):$(PORT))

.PHONY: run serve test e2e lint format check messages bench bench-import bench-queue bench-search clean

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

run: export SITE_URL = $(RUN_SITE_URL)
run: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py createcachetable
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_seed_content
	DJANGO_DEBUG=1 $(BIN)/python manage.py rerender_comments
	@echo "The site is at $(RUN_SITE_URL)/ - create a staff account with:"
	@echo "  DJANGO_DEBUG=1 $(BIN)/python manage.py createsuperuser"
	@# The task worker (mail, linkbacks) runs beside the server and stops with it.
	DJANGO_DEBUG=1 $(BIN)/python manage.py run_worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The production stack on this machine: gunicorn (deploy/gunicorn.conf.py; GUNICORN_WORKERS,
# GUNICORN_THREADS, GUNICORN_BIND) and the task worker beside it, restarted if it ever exits.
# Set the production variables first (README "Production"; deploy/bioxclusters.env.example).
serve: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py collectstatic --noinput -v0
	(trap 'kill $$pid 2>/dev/null; exit' TERM; \
		while :; do $(BIN)/python manage.py run_worker --no-reload & pid=$$!; wait $$pid; sleep 2; done) \
		& worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/gunicorn --config deploy/gunicorn.conf.py bioxclusters.wsgi

# One test worker per core (pytest-xdist, each with its own test database and Redis database:
# tests/conftest.py); TEST_WORKERS=0 runs the suite in one process. Without the browser tests
# (`make e2e`) and the multi-server test, which .ci/run runs once each, in a session of their own:
# the browser tests restore the seed with serialized_rollback, which the flushes of the other
# transactional tests break (content types come back with new ids).
TEST_WORKERS ?= auto
test: $(STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not e2e and not multiserver"

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

# The catalogues of every language but English (locale/<lang>/LC_MESSAGES/django.po and
# djangojs.po) brought up to date with the source, then compiled to the .mo files committed
# beside them (README "Languages"). Needs gettext: apt-get install -y gettext.
MESSAGE_LANGUAGES := fr es ca de it
MESSAGES_IGNORE := --ignore 'static/vendor/*' --ignore 'staticfiles/*' --ignore 'tests/*' --ignore 'build/*'
messages: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages $(addprefix -l ,$(MESSAGE_LANGUAGES)) \
		--add-location file $(MESSAGES_IGNORE)
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -d djangojs $(addprefix -l ,$(MESSAGE_LANGUAGES)) \
		--add-location file $(MESSAGES_IGNORE)
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages $(addprefix -l ,$(MESSAGE_LANGUAGES)) --ignore $(VENV)

# Times a post's page with 10, 1,000 and 5,000 threaded comments, configured as in production, then
# serves the same data with gunicorn and measures with wrk (docs/performance.md). BENCH_SECONDS
# shortens each wrk run and the posting run; use DATABASE_URL and REDIS_URL as in production.
BENCH_SECONDS ?= 30
bench bench-import bench-queue bench-search: export DJANGO_SECRET_KEY = bench
bench bench-import bench-queue bench-search: export SITE_URL = http://127.0.0.1:8000
bench bench-import bench-queue bench-search: export DJANGO_BEHIND_TLS_PROXY = 1
bench: $(STAMP)
	@command -v wrk >/dev/null || echo "wrk is missing: apt-get install -y wrk (HTTP figures skipped)"
	$(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_LOG_LEVEL=WARNING DJANGO_REQUEST_LOG_LEVEL=WARNING \
		DJANGO_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend \
		$(BIN)/python manage.py bench_discussion --http --seconds $(BENCH_SECONDS)
	$(MAKE) --no-print-directory bench-import
	$(MAKE) --no-print-directory bench-queue
	$(MAKE) --no-print-directory bench-search

# Times the import of a generated WordPress export: 5,000 posts, 50,000 threaded comments.
bench-import: $(STAMP)
	DJANGO_LOG_LEVEL=WARNING DJANGO_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend \
		$(BIN)/python manage.py bench_import

# Times the moderators' queue with 100,000 comments and a bulk approval of 1,000 (numbers, no
# verdict). PostgreSQL, as in production: DATABASE_URL=postgres://... make bench-queue
bench-queue: $(STAMP)
	$(BIN)/python manage.py collectstatic --noinput -v0
	@# The mail is queued in the database, as in production, not sent during the request.
	$(BIN)/python manage.py bench_queue

# Times the site search: 10,000 generated posts and the seed, median of each search (printed with
# the machine's load), on the database of DATABASE_URL (SQLite without it).
bench-search: $(STAMP)
	$(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_LOG_LEVEL=WARNING DJANGO_REQUEST_LOG_LEVEL=WARNING $(BIN)/python manage.py bench_search

clean:
	rm -rf $(VENV) build staticfiles

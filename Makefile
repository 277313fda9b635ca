# Two commands: `make run` (install, migrate, seed, serve on 127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: install fonts run serve test lint audit fuzz bench messages screenshot screenshots browser

# Reinstall only when the declared dependencies or their pinned versions change.
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --constraint constraints.txt --editable '.[dev]'
	touch $@

install: $(VENV)/.installed

# The Celery worker (with the reminder schedule embedded) runs beside the web server and stops
# with it. Without REDIS_URL its broker is a folder of files in .celery/: no server needed.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed --with-demo-users
	@mkdir -p .celery  # for the worker's log; the broker makes its own folders in it
	@echo "Celery worker + beat started; log: .celery/worker.log"
	@$(VENV)/bin/celery -A tracker worker --beat --pool solo --loglevel INFO \
	    --without-gossip --without-mingle --without-heartbeat > .celery/worker.log 2>&1 & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST)

# The production stack on this machine, from the Procfile (honcho): gunicorn (2 workers), two
# Celery workers and one beat, with the production settings, on DATABASE_URL and REDIS_URL
# (both required, as are SECRET_KEY and ALLOWED_HOSTS). Migrates and collects static first.
serve: install
	@[ -n "$$DATABASE_URL" ] && [ -n "$$REDIS_URL" ] || \
	  (echo "make serve needs DATABASE_URL and REDIS_URL (see README, Production)" >&2; exit 2)
	DJANGO_SETTINGS_MODULE=tracker.settings.production $(PY) manage.py migrate --noinput -v0
	DJANGO_SETTINGS_MODULE=tracker.settings.production $(PY) manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=tracker.settings.production PATH=$(abspath $(VENV))/bin:$$PATH \
	  $(VENV)/bin/honcho --procfile Procfile start

# The browser tests' chromium and its driver, and a Japanese font, from Debian's packages (as
# root; no browser is downloaded by a tool), and axe-core from npm. Without them `make test`
# skips the browser tests.
browser:
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium chromium-driver fonts-noto-cjk)
	@# axe-core for the accessibility checks, at the version the lock file pins.
	@[ -f tests/browser/node_modules/axe-core/axe.min.js ] || \
	  npm ci --prefix tests/browser --no-audit --no-fund --silent

# The Japanese TrueType font the report PDFs embed (Debian's fonts-ipaexfont), installed only
# when missing; without it the PDFs fall back to reportlab's built-in CID font.
IPAEX_FONT := /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf
fonts:
	@[ -f $(IPAEX_FONT) ] || (apt-get update -qq && apt-get install -y -qq fonts-ipaexfont)
	@# pdftoppm (poppler-utils): each report PDF page as a PNG for `make screenshots`.
	@command -v pdftoppm >/dev/null || (apt-get update -qq && apt-get install -y -qq poppler-utils)

# Tests run in parallel, one process a core (TEST_WORKERS=0: in this process alone); the browser
# tests share one chromium in one process (their xdist_group). The report fonts (`make fonts`)
# and the browser (`make browser`) are optional here: without them those tests skip.
TEST_WORKERS ?= auto
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup

# Style (ruff) and types (mypy: strict for services, selectors and the role rules).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# Supply chain: known vulnerabilities in the pinned dependencies (needs the PyPI vulnerability
# service), and bandit over our code (fails on medium or high severity findings).
audit: install
	$(VENV)/bin/bandit --quiet --recursive tracker accounts programs exporters devtools --exclude '*/migrations/*' \
	    --severity-level medium
	$(VENV)/bin/pip-audit --requirement constraints.txt --no-deps --disable-pip \
	    --progress-spinner off

# The schema fuzz at a larger budget than `make test` (FUZZ_EXAMPLES random examples per
# operation and role, another seed each time unless FUZZ_SEED is given).
FUZZ_EXAMPLES ?= 50
FUZZ_SEED ?= $(shell date +%s)
fuzz: install
	SCHEMA_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) SCHEMA_FUZZ_SEED=$(FUZZ_SEED) \
	    $(PY) -m pytest tests/api/test_schema_fuzz.py

# Performance at ministry scale, on PostgreSQL: DATABASE_URL, or a database of its own on the
# local server. Seeds it, then at each of BENCH_SCALES generates the load data set afresh
# (generate_load --reset, about a minute at scale 1) and prints each endpoint against its
# hand-written SQL baseline; then how each endpoint's time grew from the smallest scale to the
# largest. E.g. BENCH_SCALES="0.2 1 5" for the targets' curve (scale 5 takes minutes).
BENCH_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/tracker_bench)
BENCH_SCALES ?= 0.2 1
bench: install
	@[ -n "$(DATABASE_URL)" ] || psql -h 127.0.0.1 -U postgres -qtc \
	    "SELECT 1 FROM pg_database WHERE datname = 'tracker_bench'" | grep -q 1 || \
	    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE tracker_bench"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py seed --with-demo-users >/dev/null
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m tests.benchmarks --scales "$(BENCH_SCALES)"

# Regenerate and compile the translations after changing user-facing strings.
messages: install
	$(PY) manage.py makemessages --locale ja --ignore '.venv/*'
	$(PY) manage.py compilemessages --locale ja --ignore '.venv/*'

# A screenshot of the managers' dashboard in Debian's chromium (`make browser`):
# reports/dashboard.png.
screenshot: install browser
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed --with-demo-users >/dev/null
	@mkdir -p reports
	$(PY) manage.py shell -c "from tests.support.screenshots import dashboard_html; dashboard_html('reports/dashboard.html')"
	@$(PY) manage.py runserver 127.0.0.1:8765 --noreload >/dev/null 2>&1 & server=$$!; sleep 3; \
	  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	    --disable-background-networking --disable-component-update --disable-sync \
	    --user-data-dir=$$(mktemp -d) --window-size=1280,1400 \
	    --screenshot=reports/dashboard.png file://$(CURDIR)/reports/dashboard.html; \
	  kill $$server
	@echo "reports/dashboard.png"

# What people see, for people to look at: every test marked `screenshots` (each home at
# 1366x900, the exporter pages at desktop and 390 px, each report PDF page via pdftoppm) saves
# its PNGs into reports/screenshots/ instead of a temporary folder.
screenshots: install browser fonts
	@rm -rf reports/screenshots && mkdir -p reports/screenshots
	SCREENSHOTS_DIR=$(CURDIR)/reports/screenshots $(PY) -m pytest -n 1 -m screenshots -q
	@ls reports/screenshots

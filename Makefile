# Two commands: `make run` (install, migrate, seed, serve on 127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: install run test lint messages

# Reinstall only when the declared dependencies or their pinned versions change.
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --constraint constraints.txt --editable '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed --with-demo-users
	$(PY) manage.py runserver $(HOST)

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .

# Regenerate and compile the translations after changing user-facing strings.
messages: install
	$(PY) manage.py makemessages --locale ja --ignore '.venv/*'
	$(PY) manage.py compilemessages --locale ja --ignore '.venv/*'

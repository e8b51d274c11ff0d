# The two commands a newcomer needs are `make serve` and `make test`; both set
# up everything they need on first run (a virtualenv in .venv/).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: serve build test install system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Live preview of both languages at http://127.0.0.1:8000/ (Arabic) and /en/.
serve: $(STAMP)
	$(PY) -m tools build
	$(PY) -m mkdocs serve --strict -a 127.0.0.1:8000

# Strict build into site/.
build: $(STAMP)
	$(PY) -m tools build

# Debian packages the browser tests need (Chromium, PDF tools); needs root or sudo.
system-deps:
	bash .ci/system-deps

# The whole test suite: builds the site and drives it in headless Chromium.
test: $(STAMP) system-deps
	$(PY) -m pytest

clean:
	rm -rf site .pytest_cache

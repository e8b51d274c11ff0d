# The two commands a newcomer needs are `make serve` and `make test`; both set
# up everything they need on first run (a virtualenv in .venv/).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: serve build test install system-deps tools bench offline pdf release clean

# Node tools the tests and the benchmark use, pinned, installed into .tools/
# (gitignored): the Nu HTML checker (vnu-jar, needs Java) for `make test`.
VNU_VERSION := 26.9.27
VNU_STAMP := .tools/.vnu-jar-$(VNU_VERSION)

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

$(VNU_STAMP):
	npm install --prefix .tools --no-audit --no-fund --silent vnu-jar@$(VNU_VERSION)
	touch $(VNU_STAMP)

tools: $(VNU_STAMP)

# The whole test suite: builds the site and drives it in headless Chromium.
test: $(STAMP) system-deps tools
	$(PY) -m pytest

# Build time, bytes per first visit, search and offline sizes, Lighthouse
# scores when .tools has lighthouse (see BENCHMARKS.md). Prints figures.
bench: $(STAMP)
	$(PY) -m tools bench

# Offline edition: dist/guide-offline.zip (+ .sha256) for reading from file://.
# Run `make pdf` first to include the PDFs (`make release` does both).
offline: $(STAMP) system-deps
	$(PY) -m tools offline

# One PDF per language: dist/guide-ar.pdf, dist/guide-en.pdf.
pdf: $(STAMP) system-deps
	$(PY) -m tools pdf

# Everything a release needs: PDFs, offline archive, then site/ with the
# download links (dist/downloads.json); prints the sizes.
release: $(STAMP) system-deps
	$(PY) -m tools release

clean:
	rm -rf site .pytest_cache

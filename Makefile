# The two commands a newcomer needs are `make serve` and `make test`; both set
# up everything they need on first run (a virtualenv in .venv/).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Every distribution the site, the tests and the tooling install, pinned with
# hashes (universal: Linux, macOS, Windows; CPython 3.11.5+). `make lock`
# refreshes it from pyproject.toml; see CONTRIBUTING.md, "Dependencies".
LOCK := requirements/site.txt

# The site engine: mkdocs (MkDocs 1.6.1, the default) or properdocs (the
# maintained fork, in its own environment .venv-properdocs/, made on first use).
# `make build ENGINE=properdocs`; GUIDE_ENGINE=properdocs does the same.
ENGINE ?= $(or $(GUIDE_ENGINE),mkdocs)
export GUIDE_ENGINE := $(ENGINE)

.PHONY: serve build test test-fast install system-deps tools bench offline pdf epub release clean lock lock-upgrade zensical-report

# Node tools the tests use, locked with integrity hashes in
# requirements/npm/package-lock.json, installed into .tools/ (gitignored) with
# `npm ci`: the Nu HTML checker (vnu-jar, needs Java) for `make test`.
NPM_LOCK := requirements/npm/package-lock.json
VNU_STAMP := .tools/.npm-installed

# A clean environment holding exactly the lock (pip checks every hash and that
# the lock is complete), then our own packages, editable, built with the
# locked setuptools. Re-made whenever the lock or pyproject.toml changes.
$(STAMP): pyproject.toml $(LOCK)
	@bash .ci/check-tree
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11, 5) and "Python 3.11.5 or newer is needed (set PYTHON=python3.x)")'
	$(PYTHON) -m venv --clear $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

# Live preview of both languages at http://127.0.0.1:8000/ (Arabic) and /en/.
# .ci/check-tree first, every time: nothing planted at the top may be imported.
serve: $(STAMP)
	@bash .ci/check-tree
	$(PY) -m tools serve

# Strict build into site/.
build: $(STAMP)
	@bash .ci/check-tree
	$(PY) -m tools build

# Debian packages the browser tests need (Chromium, PDF tools); needs root or sudo.
system-deps:
	bash .ci/system-deps

$(VNU_STAMP): requirements/npm/package.json $(NPM_LOCK)
	mkdir -p .tools
	cp requirements/npm/package.json $(NPM_LOCK) .tools/
	npm ci --prefix .tools --no-audit --no-fund --silent
	touch $(VNU_STAMP)

tools: $(VNU_STAMP)

# The whole test suite: builds the site and drives it in headless Chromium.
test: $(STAMP) system-deps tools
	@bash .ci/check-tree
	$(PY) -m pytest

# The pure-Python tests only (no site build, no browser; markers in
# pyproject.toml): seconds, for while you edit. `make test` stays the whole suite.
test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not site and not slow"

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

# One EPUB 3 per language: dist/guide-ar.epub, dist/guide-en.epub, checked by
# EPUBCheck (no error, no warning). Read them with any e-book reader app.
epub: $(STAMP) system-deps
	$(PY) -m tools epub

# Everything a release needs: PDFs, EPUBs, offline archive, then site/ with the
# download links (dist/downloads.json); prints the sizes.
release: $(STAMP) system-deps
	$(PY) -m tools release

# Refresh the locks after changing a pin in pyproject.toml or
# requirements/*.in (keeps every other pin); `make lock-upgrade` moves every
# unpinned (transitive) dependency to its newest release. Uses the locked uv.
UV_VENV := .tools/uv
UV := $(UV_VENV)/bin/uv
LOCK_FLAGS := --quiet --universal --python-version 3.11.5 --generate-hashes

$(UV): requirements/uv.txt
	$(PYTHON) -m venv --clear $(UV_VENV)
	$(UV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/uv.txt
	touch $(UV)

lock: $(UV)
	$(UV) pip compile pyproject.toml requirements/build.in --extra test $(LOCK_FLAGS) $(UPGRADE) --output-file requirements/site.txt
	$(UV) pip compile requirements/properdocs.in $(LOCK_FLAGS) --no-emit-package mkdocs --no-emit-package mkdocs-get-deps $(UPGRADE) --output-file requirements/properdocs.txt
	$(UV) pip compile requirements/uv.in $(LOCK_FLAGS) $(UPGRADE) --output-file requirements/uv.txt

lock-upgrade:
	$(MAKE) lock UPGRADE=--upgrade

# What Zensical (newest release, in .venv-zensical/) builds of this site today;
# writes docs-dev/zensical-readiness.md. Needs the network; not in `make test`.
zensical-report: $(STAMP)
	$(PY) -m tools zensical-report

clean:
	rm -rf site .pytest_cache

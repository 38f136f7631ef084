# jiesu — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
JIESU := $(BIN)/jiesu
HOST ?= 127.0.0.1
PORT ?= 8000
VENDOR := jiesu/web/static/vendor

.PHONY: run test lint bench assets install install-dev browsers clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error

$(VENDOR)/.built: frontend/node_modules/.package-lock.json frontend/build.mjs
	cd frontend && node build.mjs
	touch $@

assets: $(VENDOR)/.built

run: install assets
	$(JIESU) migrate --noinput
	$(JIESU) demo
	$(JIESU) demo --list
	@echo "打开 open http://$(HOST):$(PORT)/"
	$(JIESU) serve --host $(HOST) --port $(PORT)

test: install-dev assets
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check jiesu benchmarks conftest.py
	$(BIN)/mypy jiesu

bench: install-dev
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

browsers:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk)

clean:
	rm -rf $(VENV) frontend/node_modules $(VENDOR)

# Two commands for a fresh Debian machine with Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8050
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint bench bench-browser browser serve plotly-bundle

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python app.py

# Debian's Chromium and its driver drive the browser tests; nothing is downloaded by a test tool.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver </dev/null || \
		{ $(SUDO) apt-get update </dev/null && \
		  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver </dev/null; }; \
	fi

test: $(VENV)/.dev browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n 3 --dist worksteal

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(VENV)/.dev
	$(BIN)/python -m atlas bench

# Rebuilds assets/plotly-atlas.min.js from the npm registry (Node 20+); the built file is committed.
plotly-bundle:
	cd tools/plotly-bundle && npm ci --no-audit --no-fund && npm run build

# First render, slider step and bytes in headless Chromium, beside a bare-page floor (a few minutes).
bench-browser: $(VENV)/.dev browser
	$(BIN)/python -m atlas bench --browser

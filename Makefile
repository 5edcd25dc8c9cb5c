# Two entry points (see README): `make demo` and `make test`. Both install first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install system-deps demo test test-all lint clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/analyzer score data/samples -o out/samples
	$(BIN)/analyzer show "$$(ls out/samples/*.json | head -n 1)" --only-flagged

system-deps:
	bash scripts/install-system-deps.sh

lint: install
	$(BIN)/ruff check analyzer tests

test: lint system-deps
	$(BIN)/pytest -q

test-all: lint system-deps
	$(BIN)/pytest -q -m ''

clean:
	rm -rf out .pytest_cache

# Every target creates the virtual environment it needs, so a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out
# The period `make run` reports on (the bundled sample data runs to the end of 2025).
PERIOD ?= 2025Q4
# The benchmark has an environment of its own, so that its peer (frictionless) and profilers
# never enter .venv.
BENCH_VENV := benchmarks/.venv
BENCH_STAMP := $(BENCH_VENV)/.installed

.PHONY: run test lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/plan57 check
	$(BIN)/plan57 report --period $(PERIOD) --format html --out $(OUT)/report-$(PERIOD).html
	$(BIN)/plan57 report --period $(PERIOD) --format md --out $(OUT)/report-$(PERIOD).md
	$(BIN)/plan57 site --period $(PERIOD) --out $(OUT)/site
	@echo "The $(PERIOD) report is in $(OUT)/: report-$(PERIOD).html (open it in a browser) and report-$(PERIOD).md"
	@echo "The $(PERIOD) progress site is in $(OUT)/site/: open $(OUT)/site/index.html"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest

$(BENCH_STAMP): pyproject.toml benchmarks/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/pip install --quiet -e '.[parquet]' -r benchmarks/requirements.txt
	touch $(BENCH_STAMP)

# Not part of `make test`: builds the corpora once (seeded), then measures every budget and
# writes the table into docs/performance.md; exits non-zero when a budget is missed.
bench: $(BENCH_STAMP)
	$(BENCH_VENV)/bin/python benchmarks/generate.py
	$(BENCH_VENV)/bin/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache $(BENCH_VENV) benchmarks/.corpus

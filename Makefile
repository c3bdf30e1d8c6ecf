# Every target creates the virtual environment it needs, so a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two installs: `make run` needs only what running takes; `make test` adds the test tools.
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed
OUT ?= out
# The period `make run` reports on (the bundled sample data runs to the end of 2025).
PERIOD ?= 2025Q4
# The benchmark has an environment of its own, so that its peer (frictionless) and profilers
# never enter .venv.
BENCH_VENV := benchmarks/.venv
BENCH_STAMP := $(BENCH_VENV)/.installed

.PHONY: run test lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The site carries its open data as Parquet too, so running takes the `parquet` extra.
$(RUN_STAMP): pyproject.toml Makefile | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[parquet]'
	touch $(RUN_STAMP)

$(STAMP): pyproject.toml Makefile | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP) $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/plan57 check
	$(BIN)/plan57 report --period $(PERIOD) --format html --out $(OUT)/report-$(PERIOD).html
	$(BIN)/plan57 report --period $(PERIOD) --format md --out $(OUT)/report-$(PERIOD).md
	$(BIN)/plan57 report --period $(PERIOD) --out $(OUT)/bao-cao-$(PERIOD).docx
	$(BIN)/plan57 site --period $(PERIOD) --out $(OUT)/site
	@echo "The $(PERIOD) report is in $(OUT)/: report-$(PERIOD).html (open it in a browser), report-$(PERIOD).md and the báo cáo in Word, bao-cao-$(PERIOD).docx"
	@# The samples replayed on the days departments would have sent them (see README, "Status").
	$(BIN)/python scripts/sample_history.py $(OUT)/sample-history
	$(BIN)/plan57 --root $(OUT)/sample-history status --period $(PERIOD) --format md > $(OUT)/status-$(PERIOD).md
	@echo "Who sent what for $(PERIOD), on time or late: $(OUT)/status-$(PERIOD).md"
	@echo "The $(PERIOD) progress site is in $(OUT)/site/: open $(OUT)/site/index.html"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# -rs: say why each skipped test was skipped (no Chromium, no git, …).
test: lint typecheck
	$(BIN)/pytest -rs

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

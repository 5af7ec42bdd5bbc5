# Needs only python3 and make: every target sets up its own virtual environment.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck browser unit clean soak fuzz bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

EXAMPLES := policy/xihu-office-2020/examples

# The main job on the bundled example: route a document, check a trace and a leave plan.
# `check` and `leave` exit 1 because the examples contain violations on purpose.
demo: $(STAMP)
	$(BIN)/govrules route $(EXAMPLES)/doc-outgoing.yaml
	$(BIN)/govrules check $(EXAMPLES)/doc-bad-order.yaml || test $$? -eq 1
	$(BIN)/govrules check $(EXAMPLES)/doc-incoming.yaml || test $$? -eq 1
	$(BIN)/govrules leave $(EXAMPLES)/plan.yaml || test $$? -eq 1
	$(BIN)/govrules leave $(EXAMPLES)/plan-2021.yaml --suggest
	$(BIN)/govrules articles 39
	$(BIN)/govrules deadline 2021-09-30 --days 1

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# pytest exits 5 when it collects nothing (a filtered run): say so rather than fail.
unit: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest: no tests collected"; exit 0; fi; exit $$status

test: lint typecheck browser unit

# The web page's browser tests drive Debian's Chromium (Playwright cannot download its own
# browser here; fonts-noto-cjk draws the Chinese), and the README's HTTP examples are curl
# commands. Installed where this can (root with apt); elsewhere those tests fail and say how
# to install them: they never skip.
browser:
	@if { [ ! -x /usr/bin/chromium ] || ! command -v curl >/dev/null; } \
		&& [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends chromium fonts-noto-cjk curl >/dev/null \
		|| echo "could not install chromium and curl: the tests that use them will fail" >&2; \
	fi

# The engine against the independent oracle (tests/oracle) on N random cases, on JOBS cores:
# prints the count and every disagreement, exits 1 on any (or on stopping short at MINUTES).
# `make soak N=100000 SEED=1 MINUTES=60`.
N ?= 100000
JOBS ?= 2
SEED ?=
MINUTES ?=
soak: $(STAMP)
	$(BIN)/python -m tests.oracle.soak --count $(N) --jobs $(JOBS) $(if $(SEED),--seed $(SEED)) \
		$(if $(MINUTES),--minutes $(MINUTES))

# Benchmarks (not tests: no figure fails the run); writes bench/RESULTS.md.
# `make bench QUICK=1` runs fewer rounds and sizes (100 and 1,000 people, 1,000 traces).
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,dev,bench]'
	touch $(BENCH_STAMP)

# Starts are measured as an installed package has them, with bytecode compiled (pip compiles
# a wheel's modules; an editable install under PYTHONDONTWRITEBYTECODE never writes any).
bench: $(BENCH_STAMP)
	$(BIN)/python -m compileall -q src >/dev/null
	$(BIN)/python -m bench.run $(if $(QUICK),--quick,)
	$(BIN)/python -m bench.duckdb_peer --sizes $(if $(QUICK),2000,2000 20000 100000)
	$(BIN)/python -m bench.threads $(if $(QUICK),--calls 100 --rounds 2,)
	$(BIN)/python -m bench.files $(if $(QUICK),--sizes 1000 --runs 1,)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

# Grammar-aware generation and mutation of rule files through the whole compiler: every
# input compiles or fails with file:line:column. `make fuzz COUNT=20000 SEED=1`.
COUNT ?= 20000
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz.rules --count $(COUNT) $(if $(SEED),--seed $(SEED))

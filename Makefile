# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# checkov and the SAM CLI pin versions of boto3, click, packaging and cfn-lint that the
# project's venv cannot take, so each is installed in a venv of its own, as pipx would.
TOOLS   := .venv-tools
CHECKOV := $(TOOLS)/checkov/bin/checkov
SAM     := $(TOOLS)/sam/bin/sam

.PHONY: run test lint test-docker bench install clean

run: install
	$(BIN)/shop up all --seed

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

# ruff (pyflakes, pycodestyle, import order, bugbear, pyupgrade, ...) over the whole repository,
# and mypy over the packages; both configured in pyproject.toml.
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

# Builds and starts every compose profile: needs a Docker engine (see the README).
test-docker: install
	$(BIN)/pytest -m docker tests/docker -s $(PYTEST_ARGS)

# Launches each variant (or VARIANTS="monolith services") in turn and times it over HTTP:
# not part of `make test`. More options: BENCH_ARGS="--output results.md --requests 500".
# PRELOAD=10000 (or BENCH_ARGS="--preload 10000"): the latencies at 100 and at 10,000 orders.
# TRACING=1 (or BENCH_ARGS="--tracing"): every process traced, to the launcher's receiver.
bench: install
	$(BIN)/python -m tests.bench $(if $(VARIANTS),--variants $(VARIANTS)) \
		$(if $(PRELOAD),--preload $(PRELOAD)) $(if $(TRACING),--tracing) $(BENCH_ARGS)

# One venv for both: `shop contract` needs the test tools that `make run` users call it with.
# The OpenAPI linters come from npm (package-lock.json) wherever npm is installed; without it
# their test is skipped, except in CI.
NPM := $(shell command -v npm 2>/dev/null)
install: $(VENV)/.installed $(CHECKOV) $(SAM) $(if $(NPM),node_modules/.installed)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,postgres]'
	@touch $@

# --ignore-scripts: the linters need no build step, and the one install script only reports usage.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

$(CHECKOV):
	$(PYTHON) -m venv $(TOOLS)/checkov
	$(TOOLS)/checkov/bin/pip install --quiet 'checkov==3.3.30'

$(SAM):
	$(PYTHON) -m venv $(TOOLS)/sam
	$(TOOLS)/sam/bin/pip install --quiet 'aws-sam-cli==1.170.0'

clean:
	rm -rf $(VENV) $(TOOLS) .data .pytest_cache *.egg-info node_modules

# `sam build --template-file serverless/template.yaml` runs build-<Function> for each function
# (BuildMethod: makefile), with ARTIFACTS_DIR set: a package of the code the handlers import,
# serverless/ and shared/, without the local runner or any local data.
build-%Function:
	mkdir -p "$(ARTIFACTS_DIR)"
	cp -R serverless shared "$(ARTIFACTS_DIR)/"
	rm -rf "$(ARTIFACTS_DIR)/serverless/local" "$(ARTIFACTS_DIR)/serverless/runner.py"
	find "$(ARTIFACTS_DIR)" -name __pycache__ -prune -exec rm -rf {} +

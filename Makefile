# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.skgan-installed
# Installed first where the environment has no torch, so that pip does not pull
# a multi-gigabyte CUDA build; override for another build, for example
# make test TORCH_SPEC="torch --index-url https://download.pytorch.org/whl/cpu"
TORCH_SPEC ?= torch==2.13.0
DATA ?= ../shared/data/adbench

.PHONY: install demo test test-fast lint docs benchmark clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/python -m pip install --quiet $(TORCH_SPEC)
	$(BIN)/python -m pip install --quiet -e ".[test,docs,distributed,serve,mlflow,privacy]"
	touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/demo_breast_cancer.py

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check skgan tests benchmarks examples
	$(BIN)/ruff format --check skgan tests benchmarks examples

docs: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html

benchmark: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[benchmark]"
	$(BIN)/python benchmarks/oversampling.py --data $(DATA)

clean:
	rm -rf $(VENV) docs/_build .pytest_cache

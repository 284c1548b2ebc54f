# The few things people do. `make report` and `make test` set everything up on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PERIOD ?= 2024-06

.PHONY: venv report test kernel lab sample-data sync-notebooks benchmark

# (Re)install when the venv is missing or pyproject.toml changed.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

report: $(STAMP)
	$(BIN)/mtqg clean --period $(PERIOD)
	$(BIN)/mtqg report --period $(PERIOD)

# The import contracts of pyproject.toml (stages import only earlier stages), then every test.
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

# Registers the .venv as a named Jupyter kernel for JupyterLab users (the runner does not need it).
kernel: $(STAMP)
	$(BIN)/python -m ipykernel install --user --name mtqg-analysis --display-name "mtqg-analysis (.venv)"

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# Brings each notebooks/*.ipynb and its paired percent-format .py back in step (after editing either
# outside JupyterLab), and strips outputs.
sync-notebooks: $(STAMP)
	$(BIN)/jupytext --sync notebooks/*.ipynb
	$(BIN)/jupyter nbconvert --clear-output --inplace notebooks/*.ipynb

# Rebuilds the shipped sample workbooks under data/raw/ (deterministic; the committed files are its output).
sample-data: $(STAMP)
	$(BIN)/python scripts/make_sample_data.py

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_clean.py

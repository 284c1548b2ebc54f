# The few things people do. `make report` and `make test` set everything up on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PERIOD ?= 2024-06
# Every dependency at the version CI tested, for every system and Python >= 3.11 (`make constraints`).
CONSTRAINTS := constraints.txt
# `make lab LAB_ARGS="--ip=0.0.0.0 --no-browser"` in a container; as root, --allow-root is added.
LAB_ARGS ?=
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

.PHONY: venv report test kernel lab sample-data sync-notebooks benchmark constraints

# (Re)install when the venv is missing or pyproject.toml or the constraints changed.
$(STAMP): pyproject.toml $(CONSTRAINTS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

report: $(STAMP)
	$(BIN)/mtqg clean --period $(PERIOD)
	$(BIN)/mtqg report --period $(PERIOD)

# The import contracts of pyproject.toml (stages import only earlier stages), then every test.
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

# Registers the .venv as a named Jupyter kernel for a Jupyter installed elsewhere (README "Your own
# Jupyter"); the notebooks' own kernel, python3, needs nothing registered.
kernel: $(STAMP)
	$(BIN)/python -m ipykernel install --user --name mtqg-analysis --display-name "mtqg-analysis (.venv)"

lab: $(STAMP)
	$(BIN)/jupyter lab $(ALLOW_ROOT) $(LAB_ARGS) notebooks/

# Re-resolves every dependency into constraints.txt (after changing pyproject.toml; commit the result).
constraints:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 --quiet -o $(CONSTRAINTS)

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

# Everything runs from a virtual environment in .venv made with the machine's python3.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PACKAGING_STAMP := $(VENV)/.packaging-installed

.PHONY: run test bench soak lint package clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m playground

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m playground bench

soak: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m playground.bench.soak

lint: $(STAMP)
	$(VENV)/bin/ruff check playground tests

$(PACKAGING_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[package]'
	touch $(PACKAGING_STAMP)

# Linux: the one-folder bundle, its .tar.gz, the .deb, the wheel and sdist, all in dist/.
package: $(PACKAGING_STAMP)
	PYTHON=$(PY) bash packaging/build-linux.sh

clean:
	rm -rf $(VENV) build dist *.egg-info

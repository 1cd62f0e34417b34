# ASAP: `make run` runs the example study; `make test` runs the whole suite.
SHELL := /bin/bash
CACHE ?= $(HOME)/.cache/asap
VENV := $(CACHE)/venv
PY := $(VENV)/bin/python
MVN ?= mvn -B -q
STUDY ?= examples/digits-svm/study.yaml

.PHONY: run test build venv clean

$(VENV)/.installed: sdk/python/requirements-examples.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q -r sdk/python/requirements-examples.txt
	touch $@

venv: $(VENV)/.installed

build:
	$(MVN) install -DskipTests

run: build venv
	PATH="$(VENV)/bin:$$PATH" ./bin/asap run $(STUDY)

test: venv
	PATH="$(VENV)/bin:$$PATH" $(MVN) install

clean:
	$(MVN) clean

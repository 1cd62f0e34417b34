# ASAP: `make run` runs the example study; `make test` runs the whole suite.
# Everything either needs is installed and cached here: the Python virtual environment of the
# example trainers under $(CACHE), Maven's downloads under ~/.m2.
SHELL := /bin/bash
CACHE ?= $(HOME)/.cache/asap
VENV := $(CACHE)/venv
MVN ?= mvn -B --no-transfer-progress
STUDY ?= examples/digits-svm/study.yaml
JAR := cli/target/asap.jar

.PHONY: run test build venv e2e clean

# The venv is rebuilt when the pinned requirements change.
$(VENV)/.installed: sdk/python/requirements-examples.txt
	rm -rf $(VENV)
	python3 -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q -r sdk/python/requirements-examples.txt
	touch $@

venv: $(VENV)/.installed

build:
	$(MVN) -q install -DskipTests

run: build venv
	PATH="$(VENV)/bin:$$PATH" ./bin/asap run $(STUDY)

# Unit and process-level tests through Maven, then the README's own commands end to end.
test: venv
	$(MVN) install
	$(MAKE) e2e

e2e: venv
	PATH="$(VENV)/bin:$$PATH" examples/e2e.sh

clean:
	$(MVN) -q clean

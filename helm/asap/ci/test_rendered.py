#!/usr/bin/env python3
"""Checks what the chart renders against the operator's contract, value by value.

The API server's dry run proves the objects are valid Kubernetes; these tests prove they are the
right ones: which permissions in which scope, which environment each container gets, which
optional objects appear. Run by `make chart-check` after it renders the chart:

    python3 helm/asap/ci/test_rendered.py DIR

where DIR holds defaults.yaml (default values, release "asap" in namespace asap-system) and
all-options.yaml (ci/all-options-values.yaml, same release).
"""

import json
import os
import sys
import unittest

import yaml

CHART = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RENDERED = None  # set from the command line before the tests run


def load(name):
    with open(os.path.join(RENDERED, name)) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def one(objects, kind, name, namespace=None):
    found = [
        o
        for o in objects
        if o["kind"] == kind
        and o["metadata"]["name"] == name
        and o["metadata"].get("namespace") == namespace
    ]
    if len(found) != 1:
        raise AssertionError(f"expected one {kind} {namespace}/{name}, found {len(found)}")
    return found[0]


def container(deployment, name):
    return next(c for c in deployment["spec"]["template"]["spec"]["containers"] if c["name"] == name)


def env(c):
    """A container's env as {name: value or valueFrom}."""
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in c.get("env", [])}


def kinds(objects):
    return sorted(f"{o['kind']} {o['metadata'].get('namespace', '-')}/{o['metadata']['name']}"
                  for o in objects)


class DefaultValues(unittest.TestCase):
    """The chart with its own values: one replica, all namespaces, gateway on the embedded model."""

    @classmethod
    def setUpClass(cls):
        cls.objects = load("defaults.yaml")
        cls.deployment = one(cls.objects, "Deployment", "asap", "asap-system")

    def test_renders_exactly_these_objects(self):
        self.assertEqual(kinds(self.objects), [
            "ClusterRole -/asap",
            "ClusterRole -/asap-self-tuner",
            "ClusterRoleBinding -/asap",
            "ClusterRoleBinding -/asap-self-tuner",
            "ConfigMap asap-system/asap-self-tuner",
            "CronJob asap-system/asap-self-tuner",
            "Deployment asap-system/asap",
            "Role asap-system/asap-local",
            "Role asap-system/asap-self-tuner-config",
            "RoleBinding asap-system/asap-local",
            "RoleBinding asap-system/asap-self-tuner-config",
            "Service asap-system/asap",
            "ServiceAccount asap-system/asap",
            "ServiceAccount asap-system/asap-self-tuner",
        ])

    def test_operator_gets_its_settings_from_the_environment(self):
        self.assertEqual(env(container(self.deployment, "operator")), {
            "ASAP_OPERATOR_NAMESPACE": {"fieldRef": {"fieldPath": "metadata.namespace"}},
            "ASAP_OPERATOR_REPORT_URL": "http://asap.asap-system.svc:8080",
            "ASAP_OPERATOR_GATEWAY_ENDPOINT": "http://127.0.0.1:8470/v1",
            "ASAP_OPERATOR_SELF_TUNER_CONFIGMAP": "asap-self-tuner",
            "ASAP_OPERATOR_LEADER_ELECTION": "false",
            "ASAP_OPERATOR_LEASE_NAME": "asap-leader",
        })

    def test_gateway_serves_the_embedded_model_on_loopback(self):
        gateway = container(self.deployment, "llm-gateway")
        self.assertEqual(env(gateway), {
            "QUARKUS_HTTP_HOST": "127.0.0.1",
            "QUARKUS_HTTP_PORT": "8470",
            "ASAP_GATEWAY_ATTEMPT_TIMEOUT": "20s",
            "ASAP_GATEWAY_ROUTING_LOAD_FACTOR": "1.25",
            "ASAP_GATEWAY_ROUTING_VIRTUAL_NODES": "64",
            "ASAP_GATEWAY_ROUTING_COOLDOWN": "2s",
            "ASAP_GATEWAY_ROUTING_MAX_COOLDOWN": "60s",
            "ASAP_GATEWAY_BACKENDS_0__NAME": "embedded",
            "ASAP_GATEWAY_BACKENDS_0__TYPE": "embedded",
            "ASAP_GATEWAY_BACKENDS_0__CONTEXT_SIZE": "8192",
            "ASAP_GATEWAY_BACKENDS_0__THREADS": "2",
        })
        self.assertNotIn("ports", gateway)

    def test_one_replica_without_leader_election_is_replaced_not_rolled(self):
        self.assertEqual(self.deployment["spec"]["replicas"], 1)
        self.assertEqual(self.deployment["spec"]["strategy"], {"type": "Recreate"})

    def test_containers_run_restricted(self):
        pod = self.deployment["spec"]["template"]["spec"]
        self.assertEqual(pod["terminationGracePeriodSeconds"], 30)
        for c in pod["containers"]:
            self.assertEqual(c["securityContext"], {
                "allowPrivilegeEscalation": False,
                "readOnlyRootFilesystem": True,
                "runAsNonRoot": True,
                "capabilities": {"drop": ["ALL"]},
                "seccompProfile": {"type": "RuntimeDefault"},
            }, c["name"])
            self.assertIn({"name": c["volumeMounts"][0]["name"], "mountPath": "/tmp"},
                          c["volumeMounts"], c["name"])

    def test_operator_probes_quarkus_health(self):
        operator = container(self.deployment, "operator")
        self.assertEqual(operator["livenessProbe"]["httpGet"], {"path": "/q/health/live", "port": "http"})
        self.assertEqual(operator["readinessProbe"]["httpGet"], {"path": "/q/health/ready", "port": "http"})
        self.assertEqual(operator["ports"], [{"name": "http", "containerPort": 8080, "protocol": "TCP"}])

    def test_operator_cluster_role_grants_exactly_the_contract(self):
        rules = one(self.objects, "ClusterRole", "asap")["rules"]
        self.assertEqual(rules, [
            {"apiGroups": ["asap.dev"], "resources": ["hpostudies", "hpotrials"],
             "verbs": ["get", "list", "watch", "create", "update", "patch", "delete"]},
            {"apiGroups": ["asap.dev"], "resources": ["hpostudies/status", "hpotrials/status"],
             "verbs": ["get", "update", "patch"]},
            {"apiGroups": ["asap.dev"], "resources": ["hpostudies/finalizers", "hpotrials/finalizers"],
             "verbs": ["update"]},
            {"apiGroups": ["batch"], "resources": ["jobs"],
             "verbs": ["get", "list", "watch", "create", "delete", "deletecollection", "patch"]},
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch"]},
            {"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]},
            {"apiGroups": [""], "resources": ["secrets"],
             "verbs": ["get", "create", "update", "delete"]},
            {"apiGroups": ["", "events.k8s.io"], "resources": ["events"], "verbs": ["create", "patch"]},
        ])

    def test_operator_reads_only_the_self_tuner_config_map_in_its_namespace(self):
        self.assertEqual(one(self.objects, "Role", "asap-local", "asap-system")["rules"], [
            {"apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["asap-self-tuner"],
             "verbs": ["get", "list", "watch"]},
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "patch"]},
            {"apiGroups": ["coordination.k8s.io"], "resources": ["leases"],
             "verbs": ["get", "list", "watch", "create", "update", "patch"]},
        ])

    def test_self_tuner_reads_studies_and_writes_only_its_config_map(self):
        self.assertEqual(one(self.objects, "ClusterRole", "asap-self-tuner")["rules"], [
            {"apiGroups": ["asap.dev"], "resources": ["hpostudies", "hpotrials"],
             "verbs": ["get", "list", "watch"]},
        ])
        self.assertEqual(one(self.objects, "Role", "asap-self-tuner-config", "asap-system")["rules"], [
            {"apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["asap-self-tuner"],
             "verbs": ["get", "update", "patch"]},
        ])
        binding = one(self.objects, "ClusterRoleBinding", "asap-self-tuner")
        self.assertEqual(binding["subjects"], [
            {"kind": "ServiceAccount", "name": "asap-self-tuner", "namespace": "asap-system"}])

    def test_no_permission_on_custom_resource_definitions(self):
        for o in self.objects:
            for rule in o.get("rules", []):
                self.assertNotIn("apiextensions.k8s.io", rule["apiGroups"], o["metadata"]["name"])

    def test_self_tuner_config_map_starts_empty_and_outlives_the_release(self):
        config_map = one(self.objects, "ConfigMap", "asap-self-tuner", "asap-system")
        self.assertNotIn("data", config_map)
        self.assertEqual(config_map["metadata"]["annotations"], {"helm.sh/resource-policy": "keep"})

    def test_self_tuner_cron_job_runs_the_operator_image(self):
        cron = one(self.objects, "CronJob", "asap-self-tuner", "asap-system")
        self.assertEqual(cron["spec"]["schedule"], "*/15 * * * *")
        self.assertEqual(cron["spec"]["concurrencyPolicy"], "Forbid")
        pod = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        self.assertEqual(pod["serviceAccountName"], "asap-self-tuner")
        tuner = pod["containers"][0]
        self.assertEqual(tuner["image"], "asap/operator:0.1.0")
        self.assertEqual(tuner["args"], ["self-tune"])
        self.assertEqual(env(tuner), {
            "ASAP_SELF_TUNER_CONFIGMAP": "asap-self-tuner",
            "ASAP_SELF_TUNER_NAMESPACE": "asap-system",
            "ASAP_SELF_TUNER_BOUND": "0.05",
            "ASAP_SELF_TUNER_MIN_ENTRIES": "8",
            "QUARKUS_HTTP_HOST_ENABLED": "false",
        })

    def test_service_exposes_port_8080_as_http(self):
        service = one(self.objects, "Service", "asap", "asap-system")
        self.assertEqual(service["spec"]["ports"],
                         [{"name": "http", "port": 8080, "targetPort": "http", "protocol": "TCP"}])
        self.assertEqual(service["spec"]["selector"],
                         self.deployment["spec"]["selector"]["matchLabels"])


class AllOptions(unittest.TestCase):
    """ci/all-options-values.yaml: two watched namespaces, two replicas, every option on."""

    @classmethod
    def setUpClass(cls):
        cls.objects = load("all-options.yaml")
        cls.deployment = one(cls.objects, "Deployment", "asap-ci", "asap-system")

    def test_watched_namespaces_get_roles_and_nothing_is_cluster_wide(self):
        self.assertEqual([o for o in self.objects if o["kind"].startswith("Cluster")], [])
        for namespace in ("ml-team-a", "ml-team-b"):
            operator = one(self.objects, "Role", "asap-ci", namespace)
            self.assertEqual(operator["rules"][0]["resources"], ["hpostudies", "hpotrials"])
            tuner = one(self.objects, "Role", "asap-ci-self-tuner", namespace)
            self.assertEqual(tuner["rules"][0]["verbs"], ["get", "list", "watch"])
            binding = one(self.objects, "RoleBinding", "asap-ci", namespace)
            self.assertEqual(binding["subjects"],
                             [{"kind": "ServiceAccount", "name": "asap-ci", "namespace": "asap-system"}])

    def test_operator_watches_the_listed_namespaces_and_elects_a_leader(self):
        operator = env(container(self.deployment, "operator"))
        self.assertEqual(operator["QUARKUS_OPERATOR_SDK_CONTROLLERS_HPOSTUDY_NAMESPACES"],
                         "ml-team-a,ml-team-b")
        self.assertEqual(operator["ASAP_OPERATOR_LEADER_ELECTION"], "true")
        self.assertEqual(operator["ASAP_OPERATOR_LEASE_NAME"], "asap-ci-leader")
        self.assertEqual(operator["ASAP_OPERATOR_GATEWAY_ENDPOINT"], "http://127.0.0.1:8471/v1")
        self.assertEqual(operator["JAVA_OPTS"], "-XX:MaxRAMPercentage=75")
        self.assertNotIn("strategy", self.deployment["spec"])

    def test_with_an_election_the_service_sends_reports_to_the_leader_alone(self):
        service = one(self.objects, "Service", "asap-ci", "asap-system")
        self.assertEqual(service["spec"]["selector"],
                         dict(self.deployment["spec"]["selector"]["matchLabels"],
                              **{"asap.dev/leader": "true"}))

    def test_gateway_numbers_remote_backends_after_the_embedded_model(self):
        gateway = env(container(self.deployment, "llm-gateway"))
        backends = {k: v for k, v in gateway.items() if k.startswith("ASAP_GATEWAY_BACKENDS_")}
        self.assertEqual(backends, {
            "ASAP_GATEWAY_BACKENDS_0__NAME": "embedded",
            "ASAP_GATEWAY_BACKENDS_0__TYPE": "embedded",
            "ASAP_GATEWAY_BACKENDS_0__MODEL_PATH": "/models/SmolLM2-135M-Instruct.Q4_1.gguf",
            "ASAP_GATEWAY_BACKENDS_0__CONTEXT_SIZE": "4096",
            "ASAP_GATEWAY_BACKENDS_0__THREADS": "4",
            "ASAP_GATEWAY_BACKENDS_1__NAME": "vllm-a",
            "ASAP_GATEWAY_BACKENDS_1__TYPE": "openai",
            "ASAP_GATEWAY_BACKENDS_1__URL": "http://vllm-a.llm.svc:8000/v1",
            "ASAP_GATEWAY_BACKENDS_1__MODEL": "Qwen/Qwen2.5-7B-Instruct",
            "ASAP_GATEWAY_BACKENDS_1__API_KEY": {"secretKeyRef": {"name": "vllm-token", "key": "token"}},
            "ASAP_GATEWAY_BACKENDS_2__NAME": "llamacpp-b",
            "ASAP_GATEWAY_BACKENDS_2__TYPE": "openai",
            "ASAP_GATEWAY_BACKENDS_2__URL": "http://llamacpp-b.llm.svc:8080/v1",
        })
        self.assertEqual(gateway["QUARKUS_HTTP_PORT"], "8471")

    def test_model_volume_is_mounted_read_only_in_the_gateway_only(self):
        pod = self.deployment["spec"]["template"]["spec"]
        self.assertIn({"name": "models", "persistentVolumeClaim": {"claimName": "llm-models", "readOnly": True}},
                      pod["volumes"])
        self.assertIn({"name": "models", "mountPath": "/models", "readOnly": True},
                      container(self.deployment, "llm-gateway")["volumeMounts"])
        self.assertNotIn("models", [m["name"] for m in container(self.deployment, "operator")["volumeMounts"]])

    def test_two_replicas_get_a_disruption_budget_and_spread(self):
        budget = one(self.objects, "PodDisruptionBudget", "asap-ci", "asap-system")
        self.assertEqual(budget["spec"]["minAvailable"], 1)
        self.assertEqual(budget["spec"]["selector"], self.deployment["spec"]["selector"])
        # The values give no affinity, so the chart's default anti-affinity applies.
        affinity = self.deployment["spec"]["template"]["spec"]["affinity"]
        self.assertEqual(
            affinity["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"][0]
            ["podAffinityTerm"]["topologyKey"], "kubernetes.io/hostname")

    def test_service_monitor_scrapes_quarkus_metrics(self):
        monitor = one(self.objects, "ServiceMonitor", "asap-ci", "asap-system")
        self.assertEqual(monitor["spec"]["endpoints"],
                         [{"port": "http", "path": "/q/metrics", "interval": "15s", "scrapeTimeout": "5s"}])
        self.assertEqual(monitor["metadata"]["labels"]["release"], "kube-prometheus-stack")

    def test_dashboard_config_map_carries_the_dashboard_file(self):
        config_map = one(self.objects, "ConfigMap", "asap-ci-dashboard", "asap-system")
        self.assertEqual(config_map["metadata"]["labels"]["grafana_dashboard"], "1")
        self.assertEqual(config_map["metadata"]["annotations"], {"grafana_folder": "ASAP"})
        with open(os.path.join(CHART, "dashboards", "asap.json")) as f:
            self.assertEqual(json.loads(config_map["data"]["asap.json"]), json.load(f))


if __name__ == "__main__":
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        sys.exit("usage: test_rendered.py DIR (the folder with defaults.yaml and all-options.yaml)")
    RENDERED = sys.argv[1]
    unittest.main(argv=[sys.argv[0], "-v"])

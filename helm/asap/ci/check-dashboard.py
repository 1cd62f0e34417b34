#!/usr/bin/env python3
"""Checks that the Grafana dashboard only queries metrics the operator exposes.

A renamed meter in the operator leaves a dashboard panel silently empty; this check fails instead.
It also checks what Grafana itself would not report until someone opens the dashboard: template
variables that are used but not defined, panels without the data source variable, and unbalanced
brackets in a query. It does not parse PromQL fully.

Usage: check-dashboard.py DASHBOARD.json
"""

import json
import re
import sys

# The operator's meters as Prometheus names (Micrometer's export: dots become underscores, counters
# get _total, timers _seconds_count/_sum/_max/_bucket), and the prefix of the Java Operator SDK's
# reconciliation meters, which the dashboard holds in its hidden constant sdk_metric_prefix.
ASAP_METRICS = {
    "asap_studies",
    "asap_trials",
    "asap_trials_ended_total",
    "asap_speculations_total",
    "asap_serial_overhead_seconds_total",
    "asap_llm_latency_seconds_count",
    "asap_llm_latency_seconds_sum",
    "asap_llm_latency_seconds_max",
    "asap_llm_latency_seconds_bucket",
    "asap_study_best_value",
    "asap_metric_reports_total",
}
SDK_METRIC_SUFFIXES = {"_started_total", "_failed_total"}
# Words in a query that are PromQL, not metric names.
PROMQL_WORDS = {
    "sum", "avg", "min", "max", "count", "rate", "irate", "increase", "by", "without", "on",
    "ignoring", "group_left", "group_right", "histogram_quantile", "le", "and", "or", "unless",
    "bool", "offset", "topk", "bottomk", "clamp_min", "clamp_max", "abs", "label_values",
}
LABELS = {"namespace", "study", "phase", "outcome", "source", "verdict", "le"}


def queries(dashboard):
    for panel in dashboard.get("panels", []):
        for inner in [panel] + panel.get("panels", []):
            for target in inner.get("targets", []):
                yield inner, target.get("expr", "")
    for variable in dashboard["templating"]["list"]:
        query = variable.get("query")
        if variable.get("type") == "query":
            yield variable, query["query"] if isinstance(query, dict) else query


def problems(dashboard):
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    builtin = {"__rate_interval", "__interval", "__range"}
    found = []
    for holder, expr in queries(dashboard):
        where = f"{holder.get('title') or holder.get('name')!r}"
        if not expr:
            found.append(f"{where}: empty query")
            continue
        for name in re.findall(r"\$\{?(\w+)\}?", expr):
            if name not in variables and name not in builtin:
                found.append(f"{where}: uses ${name}, which the dashboard does not define")
        for opening, closing in ("()", "{}", "[]"):
            if expr.count(opening) != expr.count(closing):
                found.append(f"{where}: unbalanced {opening}{closing} in {expr}")
        prefix = variables.get("sdk_metric_prefix", {}).get("query", "")
        resolved = expr.replace("${sdk_metric_prefix}", prefix)
        # Label matchers, strings and durations are not metric names.
        bare = re.sub(r'\{[^}]*\}|"[^"]*"|\[[^\]]*\]', " ", resolved)
        for word in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", bare):
            if word in PROMQL_WORDS or word in LABELS:
                continue
            if word in ASAP_METRICS or any(word == prefix + s for s in SDK_METRIC_SUFFIXES):
                continue
            found.append(f"{where}: {word} is not a metric the operator exposes")
        if holder.get("type") not in (None, "query", "row", "datasource", "constant"):
            if holder.get("datasource", {}).get("uid") != "${datasource}":
                found.append(f"{where}: its data source is not the $datasource variable")
    return found


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 0 if len(argv) == 2 else 2
    try:
        with open(argv[1]) as f:
            dashboard = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f"check-dashboard: cannot read {argv[1]}: {e}", file=sys.stderr)
        return 1
    found = problems(dashboard)
    for problem in found:
        print(f"check-dashboard: {argv[1]}: {problem}", file=sys.stderr)
    if not found:
        print(f"{argv[1]}: {sum(1 for _ in queries(dashboard))} queries use known metrics")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

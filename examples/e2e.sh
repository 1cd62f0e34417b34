#!/usr/bin/env bash
# End-to-end check of what the README promises, on the real trainers: every example validates,
# and the default study runs to its end through the LLM gateway on the embedded model, prints its
# best configuration and the LLM's figures, and writes its plot.
# Runs in a fresh state folder so that it never resumes a developer's own .asap/.
set -euo pipefail
cd "$(dirname "$0")/.."
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
passed=0
failed=0
check() {
  local name=$1
  shift
  if "$@"; then
    echo "ok: $name"
    passed=$((passed + 1))
  else
    echo "FAILED: $name"
    failed=$((failed + 1))
  fi
}
for study in examples/*/study.yaml; do
  check "validate $study" ./bin/asap validate "$study"
done
out="$state/run.txt"
check "asap run examples/digits-svm/study.yaml (LLM integrator, gateway on the embedded model)" \
  ./bin/with-gateway ./bin/asap run --quiet --state-dir "$state" examples/digits-svm/study.yaml > "$out"
cat "$out"
check "summary names the best trial" grep -q '^best: trial [0-9]*, val_accuracy = 0\.9' "$out"
check "every trial completed" grep -q '^trials: 30 (30 completed)$' "$out"
check "every round chosen by the LLM, none fell back" grep -q '^llm: 30 rounds, 0 fallbacks' "$out"
check "time accounted" grep -q '^time: trials ran ' "$out"
check "plot written" test -s "$state/digits-svm/best-so-far.png"
check "rerun resumes with nothing left to do" \
  bash -c "./bin/asap run --quiet --state-dir '$state' examples/digits-svm/study.yaml | grep -q '^trials: 30 (30 completed)$'"
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

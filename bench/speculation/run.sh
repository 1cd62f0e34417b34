#!/usr/bin/env bash
# Speculation benchmark (issue #4): serial overhead and final regret with and without speculation,
# on simulated studies of benchmark functions (asap simulate: the real study loop, pool and
# speculation on a virtual clock; trials take EVAL_COST, each LLM round the latency measured
# through the gateway and embedded model, the optimizers their real computing time).
#
#  1. calibration: CALIBRATION_SEEDS studies per function speculate with every prediction
#     accepted (tau 100), so that the execution log holds counterfactuals at every error size;
#     asap self-tune then sets the default tau from them.
#  2. evaluation, on other seeds (SEEDS): off, tau 0 (always recompute), auto (the Self-Tuner's
#     tau), tau 100 (accept all), each function, fixed and heavy-tailed evaluation costs.
#  3. worst case: predictions wrong on purpose (mirrored) on Branin shifted by 1000, so that the
#     relative errors look small; rounds of studies with tau auto, each followed by self-tune,
#     show tau falling; then auto against tau 0 on SEEDS.
#
# Usage: bench/speculation/run.sh   (needs make build; about 15 minutes on 2 cores)
# Writes bench/speculation/results-<date>.txt unless OUT is set.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
asap="$root/bin/asap"
seeds=${SEEDS:-1-30}
calibration=${CALIBRATION_SEEDS:-101-120}
eval_cost=${EVAL_COST:-3s}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=${OUT:-$root/bench/speculation/results-$(date -u +%Y-%m-%d).txt}

run() { echo "\$ asap $*"; "$asap" "$@" 2>/dev/null; echo; }

{
  echo "# speculation benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "# commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo ' (with local changes)')"
  echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), $(java -version 2>&1 | head -1)"
  echo "# seeds $seeds, calibration seeds $calibration, evaluation cost $eval_cost"
  echo

  echo "## 1. calibration"
  for f in branin hartmann6; do
    trials=40; [ "$f" = hartmann6 ] && trials=60
    run simulate --function $f --trials $trials --seeds "$calibration" --speculation 100 \
      --eval-cost "$eval_cost" --state-dir "$work/calibration"
  done
  run self-tune --state-dir "$work/calibration"

  echo "## 2. equal trials: what speculation costs in information (the same number of trials)"
  for f in branin hartmann6; do
    trials=40; [ "$f" = hartmann6 ] && trials=60
    costs="$eval_cost"; [ "$f" = branin ] && costs="$eval_cost lognormal:${eval_cost}:1.0"
    for cost in $costs; do
      dir="$work/trials-$f-${cost//:/-}"
      mkdir -p "$dir"
      cp "$work/calibration/self-tuner.json" "$dir/"
      run simulate --function $f --trials $trials --seeds "$seeds" --eval-cost "$cost" \
        --speculation off,0,auto,100 --state-dir "$dir" --csv "$dir.csv"
    done
  done

  echo "## 2b. equal wall-clock: each study gets the simulated time tau 0 needs for its trials"
  for f in branin hartmann6; do
    csv="$work/trials-$f-$eval_cost.csv"
    budget=$(awk -F, '$1 == "0" {s += $4; n++} END {printf "%ds", s / n}' "$csv")
    dir="$work/time-$f"
    mkdir -p "$dir"
    cp "$work/calibration/self-tuner.json" "$dir/"
    run simulate --function $f --trials 1000 --timeout "$budget" --seeds "$seeds" \
      --eval-cost "$eval_cost" --speculation off,0,auto,100 --state-dir "$dir"
  done

  echo "## 2c. two slots (Branin): equal trials, then equal wall-clock"
  run simulate --function branin --trials 40 --parallelism 2 --seeds 1-20 --eval-cost "$eval_cost" \
    --speculation off,0,100 --state-dir "$work/two-trials"
  run simulate --function branin --trials 1000 --timeout 114s --parallelism 2 --seeds 1-20 \
    --eval-cost "$eval_cost" --speculation 0,100 --state-dir "$work/two-time"

  echo "## 3. worst case: wrong predictions, Branin + 1000"
  dir="$work/worst"
  mkdir -p "$dir"
  for batch in 201-210 211-220 221-230 231-240; do
    run simulate --function branin --offset 1000 --trials 40 --seeds $batch --speculation auto \
      --predictions wrong --eval-cost "$eval_cost" --state-dir "$dir"
    run self-tune --state-dir "$dir"
  done
  mkdir -p "$dir-final"
  cp "$dir/self-tuner.json" "$dir-final/"
  run simulate --function branin --offset 1000 --trials 40 --seeds "$seeds" --speculation 0,auto,0.1 \
    --predictions wrong --eval-cost "$eval_cost" --state-dir "$dir-final"
} | tee "$out"

#!/usr/bin/env bash
# What an affinity miss costs: prefill time of a ~1500-token prompt when the replica's KV cache
# holds nothing of it (cold) and when it holds all but the last user line (warm).
# Usage: bench/llm/prefill-miss.sh [RUNS]   (needs the packaged gateway: make build)
set -euo pipefail
runs=${1:-3}
here=$(cd "$(dirname "$0")/../../llm-gateway" && pwd)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
java -Dquarkus.http.port="$port" -jar "$here/target/quarkus-app/quarkus-run.jar" >"$log" 2>&1 &
pid=$!
trap 'kill $pid; rm -f "$log"' EXIT
until curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null; do sleep 0.5; done

ask() { # $1 = system head tag, $2 = last user line
  python3 -c "$make_request" "$1" "$2" |
    curl -s "http://127.0.0.1:$port/v1/chat/completions" -H 'Content-Type: application/json' -d @- |
    python3 -c 'import json,sys; t=json.load(sys.stdin)["timings"]; print(t["prompt_n"], t["cache_n"], round(t["prompt_ms"]))'
}
make_request='
import json, sys
tag, tail = sys.argv[1], sys.argv[2]
history = "\n".join(f"Trial {i}: lr={0.1/(i+1):.5f} depth={i%7+2} loss={1/(i+2):.4f} time={i*3+11}s" for i in range(46))
print(json.dumps({"max_tokens": 1, "temperature": 0, "messages": [
  {"role": "system", "content": f"Study {tag}. You pick the next hyperparameter candidate."},
  {"role": "user", "content": history + "\n" + tail}]}))
'
echo "run prompt_n cache_n prefill_ms  (cold, then warm)"
for run in $(seq 1 "$runs"); do
  echo "$run cold $(ask "run-$run" "Pick one of the candidates.")"
  echo "$run warm $(ask "run-$run" "Candidates: 1, 2, 3. Pick one.")"
done

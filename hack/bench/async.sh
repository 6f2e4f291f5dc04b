#!/usr/bin/env bash
# Asynchronous invocation through the chart-installed gateway and NATS on the local cluster:
#   1. accepted events per second at saturation (202 = stored by JetStream), CALLERS concurrent callers
#   2. at a steady RATE events/s: the event's age when a worker takes it (accepted -> handed to the function),
#      p50 and p99, read from the gateway's lambkin_async_event_age histogram
# Load stays on this machine (pod IPs on the cluster bridge), bounded by DURATION.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
RATE=${RATE:-200} DURATION=${DURATION:-10s} CALLERS=${CALLERS:-16}
cd "$LAMBKIN_ROOT"
need_pkgs hey curl
. hack/bench/lib.sh
bench_install lambkin-gateway
NS=lambkin-bench-async
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl apply -n "$NS" -f - >/dev/null <<EOY
apiVersion: lambkin.dev/v1alpha1
kind: Function
metadata: {name: saturated}
spec: {image: lambkin.local/netcheck:dev, args: [serve], concurrency: {perInstance: 1000}, scaling: {minInstances: 1, maxInstances: 1}}
---
apiVersion: lambkin.dev/v1alpha1
kind: Function
metadata: {name: steady}
spec: {image: lambkin.local/netcheck:dev, args: [serve], concurrency: {perInstance: 1000}, scaling: {minInstances: 1, maxInstances: 1}}
EOY
kubectl wait -n "$NS" --for=condition=Ready --timeout=120s function/saturated function/steady >/dev/null
kubectl wait -n "$NS" --for=condition=Available --timeout=120s deployment/saturated deployment/steady >/dev/null
AUTH="Authorization: Bearer $(bench_caller "$NS")"
event() { hey -z "$DURATION" -m POST -T application/json -H "$AUTH" -H 'Lambkin-Invocation-Type: Event' -d '{}' "$@"; }
metric() { curl -s "http://${GW%:*}:9000/q/metrics" | grep "^$1" | grep "function=\"$2\"" || true; }
quantile() { # histogram buckets on stdin, q -> milliseconds (upper bound of the bucket that holds it)
  awk -v q="$1" 'match($0, /le="[^"]+"/) { le = substr($0, RSTART + 4, RLENGTH - 5); n = $NF
      if (le == "+Inf") { total = n } else { les[++k] = le; ns[k] = n } }
    END { for (i = 1; i <= k; i++) if (ns[i] >= q * total) { printf "%.1f", les[i] * 1000; exit } }'; }

log "warming up"
hey -n 200 -c 4 -m POST -T application/json -H "$AUTH" -H 'Lambkin-Invocation-Type: Event' -d '{}' "http://$GW/functions/$NS/saturated" >/dev/null
log "1. accepted events/s with $CALLERS callers for $DURATION"
s=$(event -c "$CALLERS" "http://$GW/functions/$NS/saturated")
accepted=$(awk '/\[202\]/ {print $2}' <<<"$s"); accepted=${accepted:-0}
other=$(awk '/\[[0-9]+\]/ && !/\[202\]/ {n += $2} END {print n + 0}' <<<"$s")
rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$s")
log "2. steady $RATE events/s for $DURATION"
event -c 8 -q $(( RATE / 8 )) "http://$GW/functions/$NS/steady" >/dev/null
# wait until every steady event was taken
for _ in $(seq 60); do
  taken=$(metric lambkin_async_event_age_seconds_count steady | awk '{print $NF}')
  acc=$(metric lambkin_async_accepted_total steady | awk '{print $NF}')
  [ -n "$taken" ] && [ "${taken%.*}" -ge "${acc%.*}" ] && break
  sleep 1
done
buckets=$(metric lambkin_async_event_age_seconds_bucket steady)
p50=$(quantile 0.5 <<<"$buckets") p99=$(quantile 0.99 <<<"$buckets")
echo
echo "async through the gateway (local cluster, 2 cores shared by hey, gateway, NATS and the function):"
printf '  accepted (202 after JetStream stored it): %s events/s with %s callers (%s 202, %s other)\n' "$rps" "$CALLERS" "$accepted" "$other"
printf '  at %s events/s: event age when a worker takes it p50 <= %s ms, p99 <= %s ms (histogram bucket bounds; %s events)\n' \
  "$RATE" "$p50" "$p99" "${acc%.*}"
kubectl delete namespace "$NS" --wait=false >/dev/null

#!/usr/bin/env bash
# The gateway's cost, measured against going straight to the pod, in one run on the local cluster:
#   1. latency added at a light fixed rate (RATE requests/s, default 400): p50 and p99, gateway vs direct
#   2. throughput at saturation, as a fraction of direct
#   3. cold start (request at zero replicas → first response) for a static binary (netcheck), hello-java (Lambkin's
#      Java SDK, AOT cache) and unchanged Lambda images on AWS's runtime interface clients (hello-lambda-java,
#      hello-lambda-python, runtimeApi lambda), p50 over TRIES (default 10), next to the floor: replicas 0→1 until
#      the new pod answers at its own IP
#   4. with AUTH_COMPARE=1 (default): the gateway reinstalled with gateway.auth.mode=none and step 1 again, so the
#      cost of an authorized warm call (token and decision cached) shows beside a call that needs no permission
# Steps 1-3 run as the chart installs by default: every call carries a ServiceAccount token (TokenReview, SAR).
# Load stays on this machine (the gateway's ClusterIP and pod IPs on the cluster bridge), bounded in time.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
RATE=${RATE:-400} DURATION=${DURATION:-10s} TRIES=${TRIES:-10} AUTH_COMPARE=${AUTH_COMPARE:-1}
cd "$LAMBKIN_ROOT"
need_pkgs hey bc curl
. hack/bench/lib.sh
bench_install lambkin-gateway lambkin-operator
NS=lambkin-bench-gw
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl apply -n "$NS" -f - >/dev/null <<EOY
apiVersion: lambkin.dev/v1alpha1
kind: Function
metadata: {name: warm}
spec: {image: lambkin.local/netcheck:dev, args: [serve], concurrency: {perInstance: 1000}, scaling: {minInstances: 1, maxInstances: 1}}
---
apiVersion: lambkin.dev/v1alpha1
kind: Function
metadata: {name: cold-static}
spec: {image: lambkin.local/netcheck:dev, args: [serve], scaling: {idleSeconds: 3600}}
---
apiVersion: lambkin.dev/v1alpha1
kind: Function
metadata: {name: cold-java}
spec: {image: lambkin.local/hello-java:dev, timeoutSeconds: 30, resources: {limits: {memory: 256Mi}}, scaling: {idleSeconds: 3600}}
---
apiVersion: lambkin.dev/v1alpha1
kind: Function
metadata: {name: cold-lambda-java}
spec: {image: lambkin.local/hello-lambda-java:dev, runtimeApi: lambda, handler: "example.Hello::handleRequest", timeoutSeconds: 30,
  resources: {limits: {memory: 256Mi}}, scaling: {idleSeconds: 3600}}
---
apiVersion: lambkin.dev/v1alpha1
kind: Function
metadata: {name: cold-lambda-python}
spec: {image: lambkin.local/hello-lambda-python:dev, runtimeApi: lambda, handler: app.handler, timeoutSeconds: 30,
  resources: {limits: {memory: 256Mi}}, scaling: {idleSeconds: 3600}}
EOY
kubectl wait -n "$NS" --for=condition=Ready --timeout=120s function/warm function/cold-static function/cold-java \
  function/cold-lambda-java function/cold-lambda-python >/dev/null
AUTH="Authorization: Bearer $(bench_caller "$NS")"
# both paths go straight to a pod IP, so kube-proxy's extra hop to a ClusterIP does not count against the gateway
POD=$(kubectl -n "$NS" get pods -l lambkin.dev/function=warm -o jsonpath='{.items[0].status.podIP}'):8080
VIA_GW=http://$GW/functions/$NS/warm DIRECT=http://$POD/

pct() { # hey output, percentile label (50%/99%) -> milliseconds
  awk -v p="$2" '$1 == p && $2 == "in" {printf "%.2f", $3 * 1000}' <<<"$1"; }
rps() { awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$1"; }
load() { hey -z "$DURATION" -m POST -T application/json -H "$AUTH" -d '{}' "$@"; }

log "warming up"
load -c 4 "$VIA_GW" >/dev/null; load -c 4 "$DIRECT" >/dev/null
log "1. fixed rate $RATE/s for $DURATION"
workers=8 q=$(( RATE / 8 ))
d=$(load -c $workers -q $q "$DIRECT"); g=$(load -c $workers -q $q "$VIA_GW")
d50=$(pct "$d" 50%) d99=$(pct "$d" 99%) g50=$(pct "$g" 50%) g99=$(pct "$g" 99%)
log "2. saturation for $DURATION"
ds=$(load -c 32 "$DIRECT"); gs=$(load -c 32 "$VIA_GW")

# cold starts: scale to zero, wait until no pod is left, time one request
cold() { # function -> seconds of one cold request
  kubectl -n "$NS" scale deployment "$1" --replicas=0 >/dev/null
  while [ -n "$(kubectl -n "$NS" get pods -l lambkin.dev/function="$1" -o name)" ]; do sleep 0.2; done
  local out; out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X POST -H 'Content-Type: application/json' -H "$AUTH" \
    -d '{"name":"bench"}' "http://$GW/functions/$NS/$1")
  [ "${out%% *}" = 200 ] || die "cold request to $1 answered ${out%% *}"
  printf '%s' "${out#* }"
}
floor() { # function -> seconds from replicas 0->1 until the pod answers at its own IP
  kubectl -n "$NS" scale deployment "$1" --replicas=0 >/dev/null
  while [ -n "$(kubectl -n "$NS" get pods -l lambkin.dev/function="$1" -o name)" ]; do sleep 0.2; done
  local t0 ip; t0=$(date +%s.%N)
  kubectl -n "$NS" scale deployment "$1" --replicas=1 >/dev/null
  while :; do
    ip=$(kubectl -n "$NS" get pods -l lambkin.dev/function="$1" -o jsonpath='{.items[0].status.podIP}' 2>/dev/null || true)
    [ -n "$ip" ] && curl -s -o /dev/null -m 1 -X POST -d '{}' "http://$ip:8080/" && break
    sleep 0.02
  done
  echo "$(date +%s.%N) - $t0" | bc -l
}
median() { sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.2f", m}'; }
fs=- cs=- cj=- clj=- clp=-
if [ "$TRIES" -gt 0 ]; then
  log "3. cold starts, $TRIES tries each"
  fs=$(for i in $(seq "$TRIES"); do floor cold-static; done | median)
  cs=$(for i in $(seq "$TRIES"); do cold cold-static; echo; done | median)
  cj=$(for i in $(seq "$TRIES"); do cold cold-java; echo; done | median)
  clj=$(for i in $(seq "$TRIES"); do cold cold-lambda-java; echo; done | median)
  clp=$(for i in $(seq "$TRIES"); do cold cold-lambda-python; echo; done | median)
fi

a50=- a99=-
if [ "$AUTH_COMPARE" = 1 ]; then
  log "4. the same fixed rate with gateway.auth.mode=none"
  bench_auth_mode none
  VIA_GW=http://$GW/functions/$NS/warm AUTH="X-No-Auth: 1"
  load -c 4 "$VIA_GW" >/dev/null
  n=$(load -c $workers -q $q "$VIA_GW"); a50=$(pct "$n" 50%) a99=$(pct "$n" 99%)
  bench_auth_mode kubernetes  # back to the chart's default
fi

printf '\n== gateway vs direct (same warm function, same run) ==\n'
printf 'at %d req/s:  direct p50 %s ms p99 %s ms | gateway p50 %s ms p99 %s ms | added p50 %.2f ms p99 %.2f ms\n' \
  "$RATE" "$d50" "$d99" "$g50" "$g99" "$(echo "$g50 - $d50" | bc -l)" "$(echo "$g99 - $d99" | bc -l)"
printf 'saturation:   direct %s req/s | gateway %s req/s | gateway keeps %.0f%% of direct\n' \
  "$(rps "$ds")" "$(rps "$gs")" "$(echo "100 * $(rps "$gs") / $(rps "$ds")" | bc -l)"
[ "$AUTH_COMPARE" = 1 ] && printf 'auth:         at %d req/s, authorized (cached) p50 %s ms p99 %s ms | auth off p50 %s ms p99 %s ms | auth adds p50 %.2f ms p99 %.2f ms\n' \
  "$RATE" "$g50" "$g99" "$a50" "$a99" "$(echo "$g50 - $a50" | bc -l)" "$(echo "$g99 - $a99" | bc -l)"
[ "$TRIES" -gt 0 ] && printf 'cold start (p50 of %d): floor (replicas 0->1 to pod answering) %s s | static binary via gateway %s s (%+.2f s) | hello-java %s s\n' \
  "$TRIES" "$fs" "$cs" "$(echo "$cs - $fs" | bc -l)" "$cj" && printf \
  'cold start, unchanged Lambda images (p50 of %d): Java runtime interface client %s s (%+.2f s vs hello-java) | Python awslambdaric %s s\n' \
  "$TRIES" "$clj" "$(echo "$clj - $cj" | bc -l)" "$clp"
exit 0

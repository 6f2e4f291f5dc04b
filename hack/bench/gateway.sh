#!/usr/bin/env bash
# The gateway's cost, measured against going straight to the pod, in one run on the local cluster, beside two
# peers on the same function image: a bare Vert.x reverse proxy (hack/bench/floor-proxy: the floor for one JVM hop)
# and Knative Serving's activator + queue-proxy (../shared/peers/knative.sh installs it; KNATIVE=0 leaves it out):
#   1. latency added at a light fixed rate (RATE requests/s, default 400): p50 and p99 of each path, and over
#      its own pod (Knative's revision pod is measured directly too, with a trickle through its activator so it
#      is not scaled away)
#   2. throughput at saturation (SATURATION connections, default 16), as a fraction of the path's own pod
#   3. cold start (request at zero replicas → first response) for a static binary (netcheck), hello-java (Lambkin's
#      Java SDK, AOT cache) and unchanged Lambda images on AWS's runtime interface clients (hello-lambda-java,
#      hello-lambda-python, runtimeApi lambda), p50 over TRIES (default 10), next to the floor: replicas 0→1 until
#      the new pod answers at its own IP
#   4. with AUTH_COMPARE=1 (default): the gateway reinstalled with gateway.auth.mode=none and step 1 again, so the
#      cost of an authorized warm call (token and decision cached) shows beside a call that needs no permission
# Steps 1-3 run as the chart installs by default: every call carries a ServiceAccount token (TokenReview, SAR).
# Load stays on this machine (pod IPs on the cluster bridge, the activator's ClusterIP), bounded in time.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
RATE=${RATE:-400} DURATION=${DURATION:-10s} TRIES=${TRIES:-10} AUTH_COMPARE=${AUTH_COMPARE:-1}
SATURATION=${SATURATION:-16} KNATIVE=${KNATIVE:-1} KNATIVE_PEER=${KNATIVE_PEER:-$LAMBKIN_ROOT/../shared/peers/knative.sh}
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
# every path goes straight to a pod IP, so kube-proxy's extra hop to a ClusterIP does not count against a proxy
POD=$(kubectl -n "$NS" get pods -l lambkin.dev/function=warm -o jsonpath='{.items[0].status.podIP}'):8080
VIA_GW=http://$GW/functions/$NS/warm DIRECT=http://$POD/
# the floor: one bare Vert.x hop to the same pod, with the gateway's JVM flags and memory
kubectl apply -n "$NS" -f - >/dev/null <<EOY
apiVersion: apps/v1
kind: Deployment
metadata: {name: floor-proxy}
spec:
  replicas: 1
  selector: {matchLabels: {app: floor-proxy}}
  template:
    metadata: {labels: {app: floor-proxy}}
    spec:
      containers:
      - name: proxy
        image: lambkin.local/floor-proxy:dev
        imagePullPolicy: IfNotPresent
        env: [{name: TARGET, value: "$POD"}]
        ports: [{containerPort: 8080}]
        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
        resources: {requests: {cpu: 200m, memory: 256Mi}, limits: {memory: 768Mi}}
        securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, seccompProfile: {type: RuntimeDefault}}
---
# the Function's own NetworkPolicy admits only the gateway and the node: let the floor reach the same pod
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: floor-proxy-to-warm}
spec:
  podSelector: {matchLabels: {lambkin.dev/function: warm}}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {matchLabels: {app: floor-proxy}}}], ports: [{port: 8080}]}]
EOY
kubectl -n "$NS" rollout restart deployment/floor-proxy >/dev/null  # a TARGET unchanged since the last run: fresh JIT all the same
kubectl -n "$NS" rollout status deployment/floor-proxy --timeout=120s >/dev/null
while [ "$(kubectl -n "$NS" get pods -l app=floor-proxy -o name | wc -l)" -gt 1 ]; do sleep 1; done
FLOOR=http://$(kubectl -n "$NS" get pods -l app=floor-proxy -o jsonpath='{.items[0].status.podIP}'):8080/

pct() { # hey output, percentile label (50%/99%) -> milliseconds
  awk -v p="$2" '$1 == p && $2 == "in" {printf "%.2f", $3 * 1000}' <<<"$1"; }
rps() { awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$1"; }
load() { hey -z "$DURATION" -m POST -T application/json -H "$AUTH" -d '{}' "$@"; }
workers=8 q=$(( RATE / 8 ))

KN=
if [ "$KNATIVE" = 1 ]; then
  [ -x "$KNATIVE_PEER" ] || die "no Knative peer at $KNATIVE_PEER (set KNATIVE_PEER, or KNATIVE=0 to leave it out)"
  log "Knative Serving (installed by $KNATIVE_PEER)"
  "$KNATIVE_PEER" install >/dev/null
  KNS=lambkin-bench-knative
  rev=$("$KNATIVE_PEER" deploy "$KNS" warm lambkin.local/netcheck:dev 8080 | tail -1)
  read -r KN kh1 kh2 < <("$KNATIVE_PEER" target "$KNS" "$rev")
  kn() { hey -z "$DURATION" -m POST -T application/json -H "$kh1" -H "$kh2" -d '{}' "$@" "$KN"; }
  kn_pod() { # a Ready pod of the revision that is not going away (a scaled-down one drains for ~30 s)
    kubectl -n "$KNS" get pod -l "serving.knative.dev/revision=$rev" -o go-template='{{range $p := .items}}{{if not $p.metadata.deletionTimestamp}}{{range $p.status.conditions}}{{if and (eq .type "Ready") (eq .status "True")}}{{$p.status.podIP}} {{end}}{{end}}{{end}}{{end}}' | awk '{print $1}'; }
  kn_direct() { # straight to the revision's pod, with 2 req/s through the activator meanwhile: traffic that bypasses
    # the activator is invisible to Knative's autoscaler, which would scale the pod away mid-test
    local tp out; kn -c 1 -q 2 >/dev/null & tp=$!
    out=$(load "$@" "http://$KPOD/"); wait "$tp"; printf '%s' "$out"; }
  kn_wake() { # the revision may have scaled to zero while the other paths ran
    kn -c 4 >/dev/null
    KPOD=; until [ -n "$KPOD" ]; do KPOD=$(kn_pod); [ -n "$KPOD" ] && KPOD=$KPOD:8080 || sleep 0.5; done; }
fi

log "warming up"
load -c 4 "$VIA_GW" >/dev/null; load -c 4 "$DIRECT" >/dev/null; load -c 4 "$FLOOR" >/dev/null
log "1. fixed rate $RATE/s for $DURATION"
d=$(load -c $workers -q $q "$DIRECT"); f=$(load -c $workers -q $q "$FLOOR"); g=$(load -c $workers -q $q "$VIA_GW")
if [ -n "$KN" ]; then kn_wake; kd=$(kn_direct -c $workers -q $q); k=$(kn -c $workers -q $q); fi
log "2. saturation ($SATURATION connections) for $DURATION"
ds=$(load -c "$SATURATION" "$DIRECT"); fs=$(load -c "$SATURATION" "$FLOOR"); gs=$(load -c "$SATURATION" "$VIA_GW")
if [ -n "$KN" ]; then kn_wake; kds=$(kn_direct -c "$SATURATION"); ks=$(kn -c "$SATURATION"); fi

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
cf=- cs=- cj=- clj=- clp=-
if [ "$TRIES" -gt 0 ]; then
  log "3. cold starts, $TRIES tries each"
  cf=$(for i in $(seq "$TRIES"); do floor cold-static; done | median)
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
  n=$(load -c $workers -q $q "$VIA_GW"); a50=$(pct "$n" 50%) a99=$(pct "$n" 99%) g50=$(pct "$g" 50%) g99=$(pct "$g" 99%)
  bench_auth_mode kubernetes  # back to the chart's default
fi

row() { # name, fixed-rate output, its pod's fixed-rate output
  printf '%-34s p50 %6s ms  p99 %6s ms' "$1" "$(pct "$2" 50%)" "$(pct "$2" 99%)"
  [ -n "${3:-}" ] && printf '  added p50 %+.2f ms  p99 %+.2f ms' "$(echo "$(pct "$2" 50%) - $(pct "$3" 50%)" | bc -l)" \
    "$(echo "$(pct "$2" 99%) - $(pct "$3" 99%)" | bc -l)"
  echo; }
srow() { # name, saturation output, its pod's saturation output
  printf '%-34s %7s req/s' "$1" "$(rps "$2")"
  [ -n "${3:-}" ] && printf '  %3.0f%% of its pod' "$(echo "100 * $(rps "$2") / $(rps "$3")" | bc -l)"
  echo; }
printf '\n== the same warm function (netcheck) by each path, same run ==\n'
printf 'at %d req/s for %s:\n' "$RATE" "$DURATION"
row "direct to the pod" "$d"; row "floor (bare Vert.x proxy)" "$f" "$d"; row "Lambkin gateway (auth, cached)" "$g" "$d"
[ -n "$KN" ] && { row "Knative revision pod, direct" "$kd"; row "Knative activator + queue-proxy" "$k" "$kd"; }
printf 'saturation, %d connections for %s:\n' "$SATURATION" "$DURATION"
srow "direct to the pod" "$ds"; srow "floor (bare Vert.x proxy)" "$fs" "$ds"; srow "Lambkin gateway (auth, cached)" "$gs" "$ds"
[ -n "$KN" ] && { srow "Knative revision pod, direct" "$kds"; srow "Knative activator + queue-proxy" "$ks" "$kds"; }
[ "$AUTH_COMPARE" = 1 ] && printf 'auth:         at %d req/s, authorized (cached) p50 %s ms p99 %s ms | auth off p50 %s ms p99 %s ms | auth adds p50 %.2f ms p99 %.2f ms\n' \
  "$RATE" "$g50" "$g99" "$a50" "$a99" "$(echo "$g50 - $a50" | bc -l)" "$(echo "$g99 - $a99" | bc -l)"
[ "$TRIES" -gt 0 ] && printf 'cold start (p50 of %d): floor (replicas 0->1 to pod answering) %s s | static binary via gateway %s s (%+.2f s) | hello-java %s s\n' \
  "$TRIES" "$cf" "$cs" "$(echo "$cs - $cf" | bc -l)" "$cj" && printf \
  'cold start, unchanged Lambda images (p50 of %d): Java runtime interface client %s s (%+.2f s vs hello-java) | Python awslambdaric %s s\n' \
  "$TRIES" "$clj" "$(echo "$clj - $cj" | bc -l)" "$clp"
exit 0

#!/usr/bin/env bash
# Killed processes, on the local cluster, with this tree's images and chart (two gateway replicas):
#   1. one of two gateways SIGKILLed under RATE sync calls/s (default 200) through the gateway Service: the share of
#      calls that still succeeded (HTTP 200)
#   2. NATS SIGKILLed under the same sync load: sync calls do not need NATS, so the share should not move
#   3. the operator SIGKILLed while FUNCTIONS Functions (default 30) are created: how many become Ready, and whether
#      any got a second Deployment, Service, NetworkPolicy or ReplicaSet
# A process is killed the way a crash or the OOM killer does it: SIGKILL to every process in its pod's cgroup, so the
# kubelet restarts the container. Load stays on this machine (Service and pod IPs on the cluster bridge), bounded in
# time. Prints the figures; asserts nothing (timing and shares are figures of a run, not promises).
set -euo pipefail
shopt -s inherit_errexit
. "$(dirname "$0")/../lib/common.sh"
RATE=${RATE:-200} DURATION=${DURATION:-20} KILL_AFTER=${KILL_AFTER:-6} FUNCTIONS=${FUNCTIONS:-30}
cd "$LAMBKIN_ROOT"
need_pkgs hey bc curl
. hack/bench/lib.sh
bench_cluster
"$HELM" upgrade --install lambkin helm/lambkin -n lambkin-system --create-namespace --set gateway.replicas=2 \
  --wait --timeout 240s >/dev/null
kubectl -n lambkin-system rollout status deployment/lambkin-gateway --timeout=180s >/dev/null

NS=lambkin-bench-chaos
trap 'kubectl delete namespace "$NS" --wait=false >/dev/null 2>&1 || true' EXIT
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl apply -n "$NS" -f - >/dev/null <<EOY
apiVersion: lambkin.dev/v1alpha1
kind: Function
metadata: {name: warm}
spec: {image: lambkin.local/netcheck:dev, args: [serve], concurrency: {perInstance: 1000}, scaling: {minInstances: 1, maxInstances: 1}}
EOY
kubectl wait -n "$NS" --for=condition=Ready --timeout=120s function/warm >/dev/null
AUTH="Authorization: Bearer $(bench_caller "$NS")"
SVC=http://$(kubectl -n lambkin-system get service lambkin-gateway -o jsonpath='{.spec.clusterIP}'):8080/functions/$NS/warm

# SIGKILL every process of a pod's containers (their cgroups; not the sandbox's pause process, so the pod and its IP
# stay and the kubelet restarts the container), as the OOM killer would
kill_pod() { # namespace pod
  local uid ids id pids=
  uid=$(kubectl -n "$1" get pod "$2" -o jsonpath='{.metadata.uid}')
  [[ $uid =~ ^[0-9a-f-]{36}$ ]] || die "no uid for pod $1/$2"
  ids=$(kubectl -n "$1" get pod "$2" -o jsonpath='{range .status.containerStatuses[*]}{.containerID}{"\n"}{end}')
  for id in $ids; do
    id=${id#*://}
    # the local cluster's kubelet uses the cgroupfs driver: kubepods[/<qos>]/pod<uid>/<container id>, under the pids
    # controller on cgroup v1, at the root on v2
    pids+=" $(cat /sys/fs/cgroup/{pids/,}kubepods/{,*/}pod"$uid"/"$id"/cgroup.procs 2>/dev/null || true)"
  done
  [ -n "${pids// /}" ] || die "no processes found for pod $1/$2"
  # shellcheck disable=SC2086
  kill -9 $pids 2>/dev/null || true # one may have ended meanwhile
}
# hey's summary -> "ok total": status codes (200 counts as success) and transport errors (refused, reset, timeout)
tally() {
  awk '/Status code distribution/ {s = 1; e = 0; next} /Error distribution/ {e = 1; s = 0; next}
       s && /^ *\[[0-9]+\]/ {c = $1; gsub(/[][]/, "", c); n += $2; if (c == 200) ok += $2}
       e && /^ *\[[0-9]+\]/ {c = $1; gsub(/[][]/, "", c); n += c}
       END {printf "%d %d", ok, n}' <<<"$1"
}
load() { # seconds -> hey output: RATE req/s in all, 8 workers
  hey -z "${1}s" -c 8 -q $(( RATE / 8 )) -t 10 -m POST -T application/json -H "$AUTH" -d '{}' "$SVC" || true
}
under_load() { # namespace pod -> "ok total" of DURATION s of load, the pod SIGKILLed after KILL_AFTER s
  (sleep "$KILL_AFTER"; kill_pod "$1" "$2") &
  local killer=$! out
  out=$(load "$DURATION"); wait "$killer"
  # what the failed calls met, for the log (status codes other than 200, transport errors)
  awk '/Status code distribution/ {s = 1} s && /^ *\[/ && !/\[200\]/' <<<"$out" | sed 's/^/    /' >&2
  tally "$out"
}
share() { echo "scale=2; 100 * $1 / $2" | bc -l; }

log "warming up"
load 5 >/dev/null

log "1. one of two gateways SIGKILLed under $RATE sync calls/s"
victim=$(kubectl -n lambkin-system get pods -l app.kubernetes.io/name=lambkin-gateway -o jsonpath='{.items[0].metadata.name}')
read -r g_ok g_n <<<"$(under_load lambkin-system "$victim")"
[[ ${g_n:-0} -gt 0 ]] || die "no calls were counted while the gateway was killed"
kubectl -n lambkin-system rollout status deployment/lambkin-gateway --timeout=180s >/dev/null
kubectl -n lambkin-system wait pod -l app.kubernetes.io/name=lambkin-gateway --for=condition=Ready --timeout=180s >/dev/null || true

log "2. NATS SIGKILLed under $RATE sync calls/s"
nats=$(kubectl -n lambkin-system get pods -l app.kubernetes.io/name=lambkin-nats -o jsonpath='{.items[0].metadata.name}')
read -r n_ok n_n <<<"$(under_load lambkin-system "$nats")"
[[ ${n_n:-0} -gt 0 ]] || die "no calls were counted while NATS was killed"
kubectl -n lambkin-system wait pod -l app.kubernetes.io/name=lambkin-nats --for=condition=Ready --timeout=180s >/dev/null || true

log "3. the operator SIGKILLed while $FUNCTIONS Functions are created"
operator=$(kubectl -n lambkin-system get pods -l app.kubernetes.io/name=lambkin-operator -o jsonpath='{.items[0].metadata.name}')
t0=$(date +%s.%N)
for i in $(seq "$FUNCTIONS"); do
  kubectl apply -n "$NS" -f - >/dev/null <<EOY
apiVersion: lambkin.dev/v1alpha1
kind: Function
metadata: {name: chaos-$i}
spec: {image: lambkin.local/netcheck:dev, args: [serve]}
EOY
  [ "$i" -eq $(( FUNCTIONS / 3 )) ] && kill_pod lambkin-system "$operator"
done
names=$(seq -f "function/chaos-%g" "$FUNCTIONS")
# shellcheck disable=SC2086
kubectl wait -n "$NS" --for=condition=Ready --timeout=300s $names >/dev/null || true
t_ready=$(echo "$(date +%s.%N) - $t0" | bc -l)
ready=$(kubectl get functions -n "$NS" -o jsonpath='{range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' \
  | awk '$1 ~ /^chaos-/ && $2 == "True"' | wc -l)
# one of each per Function: more would be a duplicate (names are derived from the Function, ReplicaSets are not)
dups=0
for kind in deployments networkpolicies replicasets; do
  extra=$(kubectl get "$kind" -n "$NS" -l lambkin.dev/function -o jsonpath='{range .items[*]}{.metadata.labels.lambkin\.dev/function}{"\n"}{end}' \
    | grep '^chaos-' | sort | uniq -d | wc -l)
  dups=$(( dups + extra ))
done
printf '\n== killed processes (local cluster, 2 gateway replicas, %d sync calls/s for %d s, SIGKILL after %d s) ==\n' \
  "$RATE" "$DURATION" "$KILL_AFTER"
printf 'gateway SIGKILLed: %d of %d calls succeeded (%s%%)\n' "$g_ok" "$g_n" "$(share "$g_ok" "$g_n")"
printf 'NATS SIGKILLed:    %d of %d calls succeeded (%s%%)\n' "$n_ok" "$n_n" "$(share "$n_ok" "$n_n")"
printf 'operator SIGKILLed while %d Functions were created: %d Ready after %.1f s, %d duplicated objects\n' \
  "$FUNCTIONS" "$ready" "$t_ready" "$dups"
exit 0

#!/usr/bin/env bash
# How the operator copes with many Functions: applies N Functions (scaled to zero, so pods do not count) to
# the local cluster with the chart-installed operator, and prints the time until all are Ready and the
# operator's peak memory (RSS, from the JVM process' VmHWM) against its idle figure measured in the same run; then
# deletes their namespace and prints how long that took and which writes the API server refused meanwhile.
#   hack/bench/operator-scale.sh [N]     (N=100 by default; 1000 when asked)
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
N=${1:-100}
cd "$LAMBKIN_ROOT"
KUBECONFIG=$(hack/local-cluster.sh up | tail -1); export KUBECONFIG
export PATH=$LAMBKIN_CACHE/k8s/$K8S_VERSION/bin:$PATH
need_helm
# a name of its own per run: for 30 s after a namespace is deleted the API server looks up a namespace of that
# name live on every write into it (NamespaceLifecycle admission), which would be counted against the operator
NS=lambkin-bench-$(date +%s)
if ! "$HELM" status lambkin -n lambkin-system >/dev/null 2>&1; then
  hack/images/build-images.sh --load
  "$HELM" upgrade --install lambkin helm/lambkin -n lambkin-system --create-namespace --wait --timeout 180s >/dev/null
fi
# earlier runs' namespaces are gone before this one starts (only this script's: the other benchmarks' lambkin-bench-*
# namespaces hold what they and profile-gateway.sh reuse)
kubectl get namespaces -o name | { grep -E '^namespace/lambkin-bench-[0-9]+$' || true; } | xargs -r kubectl delete --wait=true >/dev/null
# a fresh operator, so its peak memory belongs to this run
kubectl -n lambkin-system rollout restart deployment/lambkin-operator >/dev/null
kubectl -n lambkin-system rollout status deployment/lambkin-operator --timeout=180s >/dev/null
sleep 3
# the newest operator JVM in a pod (the restarted one; the old one may still be shutting down)
operator_pid() { pgrep -f '/app/quarkus-run.jar' | while read -r p; do
  grep -q kubepods "/proc/$p/cgroup" 2>/dev/null && echo "$(stat -c %Y "/proc/$p") $p"; done | sort -n | tail -1 | cut -d' ' -f2; }
PID=$(operator_pid); [ -n "$PID" ] || die "cannot find the operator's JVM process on this machine"
kb() { [ -r "/proc/$1/status" ] || die "the operator's process is gone: it restarted during the run ($(kubectl -n lambkin-system get pods -l app.kubernetes.io/name=lambkin-operator -o jsonpath='{.items[0].status.containerStatuses[0].lastState.terminated.reason}'))"
  awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
IDLE_RSS=$(kb "$PID" VmRSS)

kubectl create namespace "$NS" >/dev/null
manifest=$(mktemp); trap 'rm -f "$manifest"' EXIT
for i in $(seq 1 "$N"); do
  printf -- '---\napiVersion: lambkin.dev/v1alpha1\nkind: Function\nmetadata: {name: fn-%04d}\nspec: {image: lambkin.local/netcheck:dev, args: [serve]}\n' "$i"
done > "$manifest"
# every request the API server answered but watches, by anyone: the operator's own and those its objects cause
api_requests() { kubectl get --raw /metrics | awk '/^apiserver_request_total/ && !/verb="WATCH"/ {s += $2} END {printf "%d", s}'; }
REQ0=$(api_requests)
# CPU seconds each process of the installation and the cluster used, so the time can be read against 2 cores
GATEWAY_PID=$(pgrep -f '/app/quarkus-run.jar' | while read -r p; do [ "$p" != "$PID" ] && grep -q kubepods "/proc/$p/cgroup" 2>/dev/null \
  && tr '\0' '\n' < "/proc/$p/environ" | grep -q '^LAMBKIN_GATEWAY_' && echo "$p"; done | head -1 || true)
cpu_ticks() { # name ticks, for each process counted
  local comm; for comm in kube-apiserver etcd kube-controller kube-scheduler kubelet kube-proxy kube-router nats-server containerd; do
    pgrep -x "$comm" | while read -r p; do awk -v n="$comm" '{print n, $14 + $15}' "/proc/$p/stat" 2>/dev/null; done
  done
  awk '{print "operator", $14 + $15}' "/proc/$PID/stat"
  [ -n "$GATEWAY_PID" ] && awk '{print "gateway", $14 + $15}' "/proc/$GATEWAY_PID/stat" || true
}
CPU0=$(cpu_ticks)
# the whole machine's ticks (user nice system idle iowait irq softirq steal), to see what the processes above miss
machine_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8, $5 + $6, $9}' /proc/stat; }
M0=$(machine_ticks)
# Ready is counted from one watch: a loop that listed all N Functions twice a second took a good share of the two cores
# (the API server's serialising and kubectl's decoding of 1,000 objects each time) from the run it measured, and
# `kubectl wait --all` waits on each object in turn (200 s for 1,000 on an idle machine)
events=$(mktemp); trap 'rm -f "$manifest" "$events"; kill "$watcher" 2>/dev/null || true' EXIT
kubectl get functions -n "$NS" --watch -o jsonpath='{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\n"}' \
  >"$events" 2>/dev/null &
watcher=$!
log "applying $N Functions"
t0=$(date +%s.%N)
kubectl apply -n "$NS" -f "$manifest" >/dev/null
t_applied=$(date +%s.%N)
until [ "$(awk '{ready[$1] = $2} END {n = 0; for (f in ready) if (ready[f] == "True") n++; print n}' "$events")" -ge "$N" ]; do
  kill -0 "$watcher" 2>/dev/null || die "the watch on the Functions ended before all were Ready"
  sleep 0.5
done
kill "$watcher" 2>/dev/null || true
t1=$(date +%s.%N)
PEAK_RSS=$(kb "$PID" VmHWM)
REQ1=$(api_requests)
CPU1=$(cpu_ticks)
M1=$(machine_ticks)
printf '\nFunctions:                       %d\n' "$N"
printf 'kubectl apply took:              %.1f s\n' "$(echo "$t_applied - $t0" | bc -l)"
printf 'all Ready after:                 %.1f s (%.1f Functions/s)\n' "$(echo "$t1 - $t0" | bc -l)" "$(echo "$N / ($t1 - $t0)" | bc -l)"
printf 'API requests until then:         %d (%.1f per Function)\n' $((REQ1 - REQ0)) "$(echo "($REQ1 - $REQ0) / $N" | bc -l)"
printf 'operator RSS idle / peak:        %d MiB / %d MiB (peak is %.2fx idle)\n' $((IDLE_RSS / 1024)) $((PEAK_RSS / 1024)) "$(echo "$PEAK_RSS / $IDLE_RSS" | bc -l)"
hz=$(getconf CLK_TCK)
# per name (containerd runs twice), in the order first seen, with the total
printf 'CPU seconds until then:          %s\n' "$( { echo "$CPU0" | sed 's/^/0 /'; echo "$CPU1" | sed 's/^/1 /'; } | awk -v hz="$hz" '
  !($2 in seen) { seen[$2] = 1; order[++n] = $2 } { d[$2] += ($1 == 1 ? $3 : -$3) }
  END { for (i = 1; i <= n; i++) { k = order[i]; total += d[k] / hz; printf "%s %.1f, ", k, d[k] / hz }
        printf "total %.1f", total }')"
read -r busy0 idle0 steal0 <<<"$M0"; read -r busy1 idle1 steal1 <<<"$M1"
printf 'machine, all processes:          %.1f CPU-s busy, %.1f idle, %.1f stolen by the host\n' \
  "$(echo "($busy1 - $busy0) / $hz" | bc -l)" "$(echo "($idle1 - $idle0) / $hz" | bc -l)" "$(echo "($steal1 - $steal0) / $hz" | bc -l)"

# and their deletion with the namespace: how long it takes, and the writes the API server refused meanwhile (a namespace
# being deleted takes no new object, 403 NamespaceTerminating: each is someone's reconcile there, retried in vain)
refused() { kubectl get --raw /metrics | awk '/^apiserver_request_total/ && /code="403"/ {
  match($0, /resource="[^"]*"/); r = substr($0, RSTART + 10, RLENGTH - 11); match($0, /verb="[^"]*"/)
  print r, substr($0, RSTART + 6, RLENGTH - 7), $2 }'; }
DENIED0=$(refused)
t2=$(date +%s.%N)
kubectl delete namespace "$NS" --wait=false >/dev/null
kubectl wait --for=delete "namespace/$NS" --timeout=600s >/dev/null
t3=$(date +%s.%N)
sleep 2 # a retry already under way when the namespace went
DENIED1=$(refused)
printf 'namespace deleted after:         %.1f s; writes refused meanwhile (403): %s\n' "$(echo "$t3 - $t2" | bc -l)" \
  "$( { echo "$DENIED0" | sed 's/^/0 /'; echo "$DENIED1" | sed 's/^/1 /'; } | awk '
    NF == 4 { k = $2 " " $3; d[k] += ($1 == 1 ? $4 : -$4) }
    END { for (k in d) if (d[k] > 0) { total += d[k]; list = list ", " k " " d[k] } printf "%d%s", total, list }')"

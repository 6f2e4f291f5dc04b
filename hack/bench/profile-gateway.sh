#!/usr/bin/env bash
# Where the gateway's time goes on the invoke path: JDK Flight Recorder (profile settings) on the chart's gateway
# while hey keeps CONNECTIONS (default 16) calls in flight to a warm function, then the top frames as `jfr view`
# prints them (hot methods, CPU by thread, contention). Run after hack/bench/gateway.sh, whose namespace,
# function and caller it reuses; the gateway is restarted with the recorder and restarted again without it.
#   hack/bench/profile-gateway.sh            (the recording is kept at target/bench/gateway.jfr)
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
CONNECTIONS=${CONNECTIONS:-16} SECONDS_RECORDED=${SECONDS_RECORDED:-20}
cd "$LAMBKIN_ROOT"
need_pkgs hey
. hack/bench/lib.sh
bench_kube
select_java
NS=lambkin-bench-gw
kubectl -n "$NS" get function warm >/dev/null 2>&1 || die "run hack/bench/gateway.sh first (it deploys $NS/warm)"
AUTH="Authorization: Bearer $(bench_caller "$NS")"
# recording starts after a warm-up (JIT), for SECONDS_RECORDED, into the pod's /tmp (an emptyDir)
kubectl -n lambkin-system set env deployment/lambkin-gateway \
  JAVA_TOOL_OPTIONS="-XX:StartFlightRecording=delay=15s,duration=${SECONDS_RECORDED}s,settings=profile,filename=/tmp/gateway.jfr" >/dev/null
trap 'kubectl -n lambkin-system set env deployment/lambkin-gateway JAVA_TOOL_OPTIONS- >/dev/null' EXIT
bench_new_gateway
pod=$(kubectl -n lambkin-system get pods -l app.kubernetes.io/name=lambkin-gateway -o jsonpath='{.items[0].metadata.name}')
log "load: $CONNECTIONS connections to $NS/warm through $pod for $((SECONDS_RECORDED + 20)) s (recorded from 15 s)"
hey -z "$((SECONDS_RECORDED + 20))s" -c "$CONNECTIONS" -m POST -T application/json -H "$AUTH" -d '{}' \
  "http://$GW/functions/$NS/warm" | grep -E 'Requests/sec|50%|99%'
mkdir -p target/bench
# the recorder writes the file when its duration ends; read it from the container's /tmp
kubectl -n lambkin-system exec "$pod" -c gateway -- cat /tmp/gateway.jfr > target/bench/gateway.jfr
for view in hot-methods thread-cpu-load contention-by-site allocation-by-site; do
  "$JAVA_HOME/bin/jfr" view --width 160 "$view" target/bench/gateway.jfr | head -30
done
log "recording: target/bench/gateway.jfr"

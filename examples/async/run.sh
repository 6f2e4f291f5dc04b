#!/usr/bin/env bash
# Asynchronous invocation end to end, on the local cluster after hack/quickstart.sh:
#   1. an event for hello-java: 202 at once, run later (its REPORT line)
#   2. an event for a failing function: tried, retried once (about a minute later, Lambda's schedule), then
#      dead-lettered into orders-dlq, where the gateway's queue API shows it
#   3. the function is fixed and the dead letter redriven: it runs, and the queue is empty
set -euo pipefail
cd "$(dirname "$0")/../.."
. hack/lib/common.sh
export KUBECONFIG=${KUBECONFIG:-/var/lib/lambkin-cluster/admin.kubeconfig} PATH=$LAMBKIN_CACHE/k8s/$K8S_VERSION/bin:$PATH
kubectl -n lambkin-system get deployment lambkin-gateway >/dev/null 2>&1 || die "run hack/quickstart.sh first"
NS=lambkin-demo
GW=http://$(kubectl -n lambkin-system get service lambkin-gateway -o jsonpath='{.spec.clusterIP}'):8080
# the quickstart's caller may invoke; for the dead-letter API it also gets lambkin-deadletter-admin here
kubectl -n $NS create rolebinding demo-caller-deadletters --clusterrole=lambkin-deadletter-admin \
  --serviceaccount=$NS:demo-caller --dry-run=client -o yaml | kubectl apply -f - >/dev/null
AUTH="Authorization: Bearer $(kubectl -n $NS create token demo-caller --duration=1h)"
report() { kubectl -n lambkin-system logs deployment/lambkin-gateway --since=10m | grep "REPORT RequestId: $1" || true; }
event() { curl -sS -D - -o /dev/null -X POST -H "$AUTH" -H 'Content-Type: application/json' -H 'Lambkin-Invocation-Type: Event' \
  -d "$2" "$GW/functions/$NS/$1" | tr -d '\r' | awk 'NR == 1 {print > "/dev/stderr"} tolower($1) == "lambkin-request-id:" {print $2}'; }

log "1. an event for hello-java"
id=$(event hello-java '{"name": "async"}')
echo "accepted, request id $id"
for _ in $(seq 60); do r=$(report "$id"); [ -n "$r" ] && break; sleep 1; done
echo "${r:-no REPORT yet}"

log "2. an event for a function that fails"
kubectl apply -n $NS -f examples/async/orders.yaml >/dev/null
kubectl wait -n $NS --for=condition=Ready --timeout=120s deadletterqueue/orders-dlq function/orders >/dev/null
id=$(event orders '{"order": 1042, "amount": 99.5}')
echo "accepted, request id $id; the first attempt fails, the retry comes about a minute later"
for _ in $(seq 240); do
  page=$(curl -sS -H "$AUTH" "$GW/deadletterqueues/$NS/orders-dlq/messages")
  grep -q "$id" <<<"$page" && break
  sleep 1
done
echo "attempts the gateway made:"; report "$id"
echo "the dead letter:"; echo "$page" | python3 -m json.tool
sleep 11 # the queue's status is read from its stream every 10 s
kubectl get dlq -n $NS orders-dlq

log "3. fix the function, then redrive the dead letter"
kubectl patch -n $NS function/orders --type=json -p '[{"op": "remove", "path": "/spec/env"}]' >/dev/null
kubectl rollout status -n $NS deployment/orders --timeout=120s >/dev/null || true
seq=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["messages"][0]["sequence"])' <<<"$page")
curl -sS -H "$AUTH" -X POST "$GW/deadletterqueues/$NS/orders-dlq/messages/$seq/redrive"; echo
for _ in $(seq 120); do report "$id" | grep -q Success && break; sleep 1; done
report "$id" | tail -1
echo "left in the queue:"; curl -sS -H "$AUTH" "$GW/deadletterqueues/$NS/orders-dlq"; echo

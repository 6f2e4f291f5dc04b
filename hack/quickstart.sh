#!/usr/bin/env bash
# Lambkin's main job on this machine, idempotent: a local Kubernetes cluster, Lambkin installed by its Helm
# chart (CRDs, operator), an example Function applied and shown Ready. Installs what it needs by itself.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
cd "$LAMBKIN_ROOT"
t0=$SECONDS
KUBECONFIG=$(hack/local-cluster.sh up | tail -1); export KUBECONFIG
BIN=$LAMBKIN_CACHE/k8s/$K8S_VERSION/bin; export PATH=$BIN:$PATH
need_helm

log "building Lambkin's images"
hack/images/build-images.sh --load
hack/images/build-test-images.sh --load   # the image the example Function runs

log "installing Lambkin (helm/lambkin) into lambkin-system"
"$HELM" upgrade --install lambkin helm/lambkin -n lambkin-system --create-namespace --wait --timeout 180s >/dev/null
# Helm installs CRDs only once; keep them current
kubectl apply --server-side --force-conflicts --field-manager=lambkin-quickstart -f crds/ >/dev/null
kubectl -n lambkin-system rollout status deployment/lambkin-operator --timeout=120s >/dev/null

log "applying examples/api into lambkin-demo"
kubectl create namespace lambkin-demo --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl apply -n lambkin-demo -f examples/api/
kubectl apply -n lambkin-demo -f examples/hello-java/function.yaml
kubectl wait -n lambkin-demo --for=condition=Ready --timeout=120s function/hello function/hello-java
kubectl -n lambkin-system rollout status deployment/lambkin-gateway --timeout=120s >/dev/null
# Ready means armed: the schedule registered, the route installed on every gateway replica, the subject subscribed
kubectl wait -n lambkin-demo --for=condition=Ready --timeout=60s trigger --all >/dev/null
echo
kubectl get fn,trg,dlq -n lambkin-demo -o wide
echo
# invoking needs a Kubernetes identity with the verb "invoke": a ServiceAccount bound to the chart's ClusterRole
kubectl -n lambkin-demo create serviceaccount demo-caller --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl -n lambkin-demo create rolebinding demo-caller-invokes --clusterrole=lambkin-invoker \
  --serviceaccount=lambkin-demo:demo-caller --dry-run=client -o yaml | kubectl apply -f - >/dev/null
TOKEN=$(kubectl -n lambkin-demo create token demo-caller --duration=1h)
# invoke hello-java through the gateway while it is scaled to zero: the gateway starts it and holds the call
GW=$(kubectl -n lambkin-system get service lambkin-gateway -o jsonpath='{.spec.clusterIP}')
log "invoking hello-java from $(kubectl -n lambkin-demo get deployment hello-java -o jsonpath='{.spec.replicas}') instances"
curl -sS -X POST -H "Authorization: Bearer $TOKEN" -d '{"name": "Lambkin"}' \
  -w '\n(HTTP %{http_code} in %{time_total} s)\n' "http://$GW:8080/functions/lambkin-demo/hello-java"
kubectl -n lambkin-system logs deployment/lambkin-gateway | grep 'REPORT RequestId' | tail -1
log "calling the route GET /hello (Trigger hello-http): the function gets a function URL event"
curl -sS -H "Authorization: Bearer $TOKEN" -w '(HTTP %{http_code})\n' "http://$GW:8080/hello?from=quickstart"
log "waiting for the schedule's first firing (every minute)"
kubectl wait -n lambkin-demo --for=jsonpath='{.status.lastFired}' --timeout=70s trigger/hello-every-minute >/dev/null
kubectl get trg -n lambkin-demo -o wide
echo
log "done in $((SECONDS - t0))s"
echo "Cluster: export KUBECONFIG=$KUBECONFIG PATH=$BIN:\$PATH"
echo "Try:     kubectl explain function.spec.concurrency; kubectl describe fn hello -n lambkin-demo"
echo "         curl -H \"Authorization: Bearer \$(kubectl -n lambkin-demo create token demo-caller)\" -d '{\"name\":\"Ada\"}' http://$GW:8080/functions/lambkin-demo/hello-java"
echo "         curl -H \"Authorization: Bearer \$(kubectl -n lambkin-demo create token demo-caller)\" http://$GW:8080/hello   (an http Trigger)"
echo "         examples/async/run.sh   (an event, a failure retried and dead-lettered, then redriven)"

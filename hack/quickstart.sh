#!/usr/bin/env bash
# Lambkin's main job on this machine, idempotent: a local Kubernetes cluster, Lambkin's API installed,
# an example Function applied and shown. Installs what it needs (Debian packages, Go builds) by itself.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
cd "$LAMBKIN_ROOT"
KUBECONFIG=$(hack/local-cluster.sh up | tail -1); export KUBECONFIG
BIN=$LAMBKIN_CACHE/k8s/$K8S_VERSION/bin; export PATH=$BIN:$PATH
hack/images/build-test-images.sh --load

log "installing the Lambkin CRDs"
kubectl apply --server-side --force-conflicts --field-manager=lambkin-quickstart -f crds/ >/dev/null
kubectl wait --for=condition=Established --timeout=60s crd/functions.lambkin.dev crd/triggers.lambkin.dev crd/deadletterqueues.lambkin.dev >/dev/null

log "applying examples/api"
kubectl create namespace lambkin-demo --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl apply -n lambkin-demo -f examples/api/
echo
kubectl get fn,trg,dlq -n lambkin-demo
echo
echo "Cluster: export KUBECONFIG=$KUBECONFIG PATH=$BIN:\$PATH"
echo "Try:     kubectl explain function.spec.concurrency"

# Shared by the gateway benchmarks (sourced after hack/lib/common.sh, from the repository root): this tree's
# images on the local cluster, the chart installed from them, the given deployments of lambkin-system restarted
# (fresh metrics, fresh JIT), and once the replaced gateway has drained away, GW set to the new one's pod IP:port.
bench_install() {
  bench_cluster
  "$HELM" upgrade --install lambkin helm/lambkin -n lambkin-system --create-namespace --wait --timeout 180s >/dev/null
  local d
  for d in "$@"; do kubectl -n lambkin-system rollout restart "deployment/$d" >/dev/null; done
  bench_new_gateway
}

# The local cluster up and kubectl on hand.
bench_kube() {
  KUBECONFIG=$(hack/local-cluster.sh up | tail -1); export KUBECONFIG
  export PATH=$LAMBKIN_CACHE/k8s/$K8S_VERSION/bin:$PATH
}

# The local cluster up, kubectl and helm on hand, this tree's images built and loaded into it.
bench_cluster() {
  bench_kube
  need_helm
  hack/images/build-images.sh --load >/dev/null
  hack/images/build-test-images.sh --load >/dev/null
}

# The chart's gateway with another auth mode (kubernetes or none), the rest as installed; GW set to the new pod.
bench_auth_mode() {
  "$HELM" upgrade lambkin helm/lambkin -n lambkin-system --reuse-values --set gateway.auth.mode="$1" --wait --timeout 180s >/dev/null
  bench_new_gateway
}

bench_new_gateway() {
  kubectl -n lambkin-system rollout status deployment/lambkin-gateway --timeout=120s >/dev/null
  # the replaced gateway drains for a while (503s) before it goes: measure the new one only
  while [ "$(kubectl -n lambkin-system get pods -l app.kubernetes.io/name=lambkin-gateway -o name | wc -l)" -gt 1 ]; do sleep 1; done
  GW=$(kubectl -n lambkin-system get pods -l app.kubernetes.io/name=lambkin-gateway -o jsonpath='{.items[0].status.podIP}'):8080
}

# A caller in namespace $1 allowed to invoke (the chart's lambkin-invoker ClusterRole); prints its bearer token.
bench_caller() {
  kubectl -n "$1" create serviceaccount bench-caller --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  kubectl -n "$1" create rolebinding bench-caller-invokes --clusterrole=lambkin-invoker \
    --serviceaccount="$1":bench-caller --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  kubectl -n "$1" create token bench-caller --duration=2h
}

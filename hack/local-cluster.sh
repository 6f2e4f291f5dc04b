#!/usr/bin/env bash
# A real single-node Kubernetes on this machine, from binaries built here (no registry is reachable).
#
#   hack/local-cluster.sh up                 start (idempotent; after a killed run it cleans up and starts fresh)
#   hack/local-cluster.sh down               stop and remove everything it made (keeps cached binaries and logs)
#   hack/local-cluster.sh status             what runs, and whether the node is Ready
#   hack/local-cluster.sh load-image IMAGE   copy an image from the local Docker daemon into the cluster's containerd
#   hack/local-cluster.sh kubeconfig         print the admin kubeconfig's path (last line)
#
# The node lives on a bridge this script creates (cni0, 10.244.0.1/24): the API server, kubelet and
# kube-proxy bind to that address or to loopback, never to the machine's own interfaces. NetworkPolicies are
# enforced, by kube-router's policy controller alone (the bridge plugin ignores them).
# Recipe and traps: ../shared/notes/local-cluster.md.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

D=${LAMBKIN_CLUSTER_DIR:-/var/lib/lambkin-cluster}     # data: etcd, pki, kubelet, containerd root
RUN=${LAMBKIN_CLUSTER_RUN:-/run/lambkin-cluster}       # containerd state and socket
LOGS=${LAMBKIN_CLUSTER_LOGS:-/var/log/lambkin/cluster}
BIN=$LAMBKIN_CACHE/k8s/$K8S_VERSION/bin
NODE=lambkin-node
BRIDGE=cni0
NODE_IP=10.244.0.1
POD_CIDR=10.244.0.0/24
SVC_CIDR=10.96.0.0/16
SVC_APISERVER=10.96.0.1
DNS_IP=10.96.0.10
SOCK=$RUN/containerd.sock
KUBECONFIG_PATH=$D/admin.kubeconfig
PAUSE_IMAGE=registry.k8s.io/pause:3.10
COREDNS_IMAGE=lambkin.local/coredns:$COREDNS_VERSION
KUBE_ROUTER=$LAMBKIN_CACHE/kube-router/$KUBE_ROUTER_VERSION/kube-router
COMPONENTS=(etcd containerd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kube-router)

# How each component's process is recognised: by its name and this cluster's data directory in its
# arguments, so `down` finds exactly what `up` started (from whichever binary cache) even after a killed run.
pattern() {
  case $1 in
    etcd) echo "etcd --name $NODE --data-dir $D/etcd" ;;
    containerd) echo "containerd --config $D/containerd.toml" ;;
    *) echo "/$1 .*$D/" ;;
  esac
}
pids_of() { pgrep -f "$(pattern "$1")" || true; }
running() { [ -n "$(pids_of "$1")" ]; }
kubectl() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH" "$@"; }
ctr_() { ctr --address "$SOCK" -n k8s.io "$@"; }

start() { # name cmd...
  local n=$1; shift
  mkdir -p "$LOGS"
  echo "=== $(date -Is) $*" >> "$LOGS/$n.log"
  setsid "$@" >> "$LOGS/$n.log" 2>&1 < /dev/null &
  local i
  for i in $(seq 50); do running "$n" && return 0; sleep 0.1; done
  die "$n did not start; see $LOGS/$n.log"
}

wait_for() { # seconds description command...
  local t=$1 what=$2 i; shift 2
  for i in $(seq $((t * 4))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  die "timed out after ${t}s waiting for $what (logs in $LOGS)"
}

# ---- teardown: works on a live cluster and on the remains of a killed one ----

kill_component() {
  local n=$1 p
  p=$(pids_of "$n")
  [ -z "$p" ] && return 0
  kill $p 2>/dev/null || true
  for _ in $(seq 40); do running "$n" || return 0; sleep 0.25; done
  kill -9 $(pids_of "$n") 2>/dev/null || true
}

# Every process of every pod lives in a cgroup under kubepods (cgroupfs driver): kill them there, so no
# container outlives the cluster even when containerd and its shims were killed first.
kill_pod_processes() {
  local procs p
  for _ in 1 2 3; do
    procs=$(find /sys/fs/cgroup -path '*kubepods*' -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u)
    [ -z "$procs" ] && break
    for p in $procs; do kill -9 "$p" 2>/dev/null || true; done
    sleep 0.5
  done
  # remove the now empty cgroups, deepest first
  find /sys/fs/cgroup -depth -type d -path '*kubepods*' -exec rmdir {} \; 2>/dev/null || true
}

kill_shims() {
  local p
  p=$(pgrep -f "containerd-shim.*-address $SOCK" || true)
  [ -n "$p" ] && kill -9 $p 2>/dev/null || true
}

unmount_under() { # dir...
  local dir m
  for dir in "$@"; do
    # deepest first; lazy so a busy mount does not block teardown
    for m in $(awk -v d="$dir" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/self/mounts | sort -r); do
      umount -l "$m" 2>/dev/null || true
    done
  done
}

remove_netns() {
  local ns
  for ns in /run/netns/cni-*; do
    [ -e "$ns" ] || continue
    umount -l "$ns" 2>/dev/null || true
    rm -f "$ns"
  done
}

# Drop the chains kube-proxy and the CNI plugins made (KUBE-*, CNI-*), keeping everything else (Docker's).
clean_iptables() {
  local t saved
  for t in nat filter mangle; do
    saved=$(iptables-save -t "$t" 2>/dev/null) || continue
    grep -qE 'KUBE-|CNI-' <<<"$saved" || continue
    grep -vE 'KUBE-|CNI-' <<<"$saved" | iptables-restore -T "$t" 2>/dev/null \
      || log "warning: could not clean iptables table $t"
  done
}

# kube-router's sets (its chains went with clean_iptables, which no longer refer to them)
clean_ipsets() {
  command -v ipset >/dev/null || return 0
  local s
  for s in $(ipset list -n 2>/dev/null | grep -E '^(KUBE-|kube-router)' || true); do ipset destroy "$s" 2>/dev/null || true; done
}

teardown() {
  local n
  # the kubelet first, so it does not restart what we stop next
  for n in kubelet kube-router kube-proxy kube-scheduler kube-controller-manager kube-apiserver; do kill_component "$n"; done
  kill_pod_processes
  kill_shims
  kill_component containerd
  kill_component etcd
  kill_pod_processes
  unmount_under "$D" "$RUN"
  remove_netns
  clean_iptables
  clean_ipsets
  ip link show "$BRIDGE" >/dev/null 2>&1 && ip link del "$BRIDGE" 2>/dev/null || true
  ip route del "$SVC_CIDR" 2>/dev/null || true
  rm -rf "$RUN" /var/lib/cni/networks/lambkin /var/lib/cni/results/lambkin-* 2>/dev/null || true
  rm -rf "$D"
}

# ---- setup ----

install_prerequisites() {
  need_pkgs containerd runc containernetworking-plugins etcd-server iptables ipset conntrack socat kmod iproute2 openssl curl gcc libc6-dev
  need_docker
  [ -x "$BIN/kubelet" ] && [ -x "$LAMBKIN_CACHE/coredns/$COREDNS_VERSION/coredns" ] && [ -x "$KUBE_ROUTER" ] \
    || "$LAMBKIN_ROOT/hack/build-binaries.sh" >/dev/null
}

make_pki() {
  mkdir -p "$D/pki"; cd "$D/pki"
  [ -f ca.crt ] && return 0
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=lambkin-ca" 2>/dev/null
  cert() { # name CN O [sans]
    openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$2${3:+/O=$3}" 2>/dev/null
    if [ -n "${4:-}" ]; then printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$4" > "$1.ext"
    else printf 'extendedKeyUsage=clientAuth\n' > "$1.ext"; fi
    openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" -days 3650 -extfile "$1.ext" 2>/dev/null
  }
  cert apiserver kube-apiserver "" "IP:$NODE_IP,IP:$SVC_APISERVER,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert admin lambkin-admin system:masters
  cert apiserver-kubelet kube-apiserver-kubelet-client system:masters
  cert kubelet "system:node:$NODE" system:nodes "IP:$NODE_IP,DNS:$NODE"
  cert controller-manager system:kube-controller-manager
  cert scheduler system:kube-scheduler
  cert proxy system:kube-proxy system:node-proxier
  openssl genrsa -out sa.key 2048 2>/dev/null; openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  cd - >/dev/null
}

write_kubeconfig() { # name cert
  cat > "$D/$1.kubeconfig" <<EOK
apiVersion: v1
kind: Config
clusters: [{name: lambkin, cluster: {server: "https://$NODE_IP:6443", certificate-authority: $D/pki/ca.crt}}]
users: [{name: $1, user: {client-certificate: $D/pki/$2.crt, client-key: $D/pki/$2.key}}]
contexts: [{name: lambkin, context: {cluster: lambkin, user: $1}}]
current-context: lambkin
EOK
}

setup_host_network() {
  ip link show "$BRIDGE" >/dev/null 2>&1 || ip link add "$BRIDGE" type bridge
  ip addr replace "$NODE_IP/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  # ClusterIPs from the host go onto the bridge, never out of the machine
  ip route replace "$SVC_CIDR" dev "$BRIDGE" src "$NODE_IP"
  modprobe br_netfilter 2>/dev/null || true
  sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 vm.overcommit_memory=1 \
    kernel.panic=10 kernel.panic_on_oops=1 2>/dev/null || true
  # Docker sets FORWARD to DROP; pod traffic crosses the bridge
  iptables -P FORWARD ACCEPT
}

write_configs() {
  mkdir -p "$D/cni" "$D/kubelet" "$RUN"
  cat > "$D/containerd.toml" <<EOC
version = 2
root = "$D/containerd"
state = "$RUN/state"
[grpc]
  address = "$SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  stream_server_address = "127.0.0.1"
  # the sandbox may not lower its own oom_score_adj here; without this every pod sandbox fails
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$D/cni"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
      SystemdCgroup = false
EOC
  cat > "$D/cni/10-lambkin.conflist" <<EON
{"cniVersion":"0.4.0","name":"lambkin","plugins":[
 {"type":"bridge","bridge":"$BRIDGE","isGateway":true,"ipMasq":true,"hairpinMode":true,
  "ipam":{"type":"host-local","ranges":[[{"subnet":"$POD_CIDR","gateway":"$NODE_IP"}]],"routes":[{"dst":"0.0.0.0/0"}]}},
 {"type":"portmap","capabilities":{"portMappings":true}},
 {"type":"loopback"}]}
EON
  # Pods inherit no upstream resolver: their DNS stays inside the cluster.
  echo "# lambkin local cluster: no upstream DNS" > "$D/resolv.conf"
  cat > "$D/kubelet.yaml" <<EOY
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: "$NODE_IP"
healthzBindAddress: 127.0.0.1
authentication: {anonymous: {enabled: false}, webhook: {enabled: true}, x509: {clientCAFile: "$D/pki/ca.crt"}}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
failSwapOn: false
containerRuntimeEndpoint: unix://$SOCK
clusterDomain: cluster.local
clusterDNS: ["$DNS_IP"]
podCIDR: "$POD_CIDR"
tlsCertFile: "$D/pki/kubelet.crt"
tlsPrivateKeyFile: "$D/pki/kubelet.key"
readOnlyPort: 0
protectKernelDefaults: false
maxPods: 250
# locally imported images cannot be pulled again: never garbage-collect them
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {"memory.available": "100Mi", "nodefs.available": "1%", "imagefs.available": "1%"}
resolvConf: "$D/resolv.conf"
serializeImagePulls: false
EOY
}

start_control_plane() {
  start etcd etcd --name "$NODE" --data-dir "$D/etcd" --listen-client-urls http://127.0.0.1:2379 \
    --advertise-client-urls http://127.0.0.1:2379 --listen-peer-urls http://127.0.0.1:2380 \
    --initial-advertise-peer-urls http://127.0.0.1:2380 --initial-cluster "$NODE=http://127.0.0.1:2380"
  wait_for 30 etcd curl -fsS http://127.0.0.1:2379/health
  start kube-apiserver "$BIN/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
    --bind-address="$NODE_IP" --advertise-address="$NODE_IP" --secure-port=6443 \
    --service-cluster-ip-range="$SVC_CIDR" --authorization-mode=Node,RBAC --client-ca-file="$D/pki/ca.crt" \
    --tls-cert-file="$D/pki/apiserver.crt" --tls-private-key-file="$D/pki/apiserver.key" \
    --kubelet-client-certificate="$D/pki/apiserver-kubelet.crt" --kubelet-client-key="$D/pki/apiserver-kubelet.key" \
    --kubelet-preferred-address-types=InternalIP \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local --service-account-key-file="$D/pki/sa.pub" \
    --service-account-signing-key-file="$D/pki/sa.key" --allow-privileged=true \
    --enable-admission-plugins=NodeRestriction --profiling=false
  wait_for 90 kube-apiserver kubectl get --raw /readyz
  start kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig="$D/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$D/controller-manager.kubeconfig" --authorization-kubeconfig="$D/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --service-account-private-key-file="$D/pki/sa.key" --root-ca-file="$D/pki/ca.crt" \
    --cluster-signing-cert-file="$D/pki/ca.crt" --cluster-signing-key-file="$D/pki/ca.key" \
    --use-service-account-credentials=true --leader-elect=false --service-cluster-ip-range="$SVC_CIDR" --profiling=false
  start kube-scheduler "$BIN/kube-scheduler" --kubeconfig="$D/scheduler.kubeconfig" \
    --authentication-kubeconfig="$D/scheduler.kubeconfig" --authorization-kubeconfig="$D/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --profiling=false
}

start_node() {
  start containerd containerd --config "$D/containerd.toml"
  wait_for 30 containerd ctr_ version
  import_image "$PAUSE_IMAGE" build_pause_image
  import_image "$COREDNS_IMAGE" build_coredns_image
  start kubelet "$BIN/kubelet" --config="$D/kubelet.yaml" --kubeconfig="$D/kubelet.kubeconfig" \
    --hostname-override="$NODE" --node-ip="$NODE_IP" --root-dir="$D/kubelet"
  start kube-proxy "$BIN/kube-proxy" --kubeconfig="$D/proxy.kubeconfig" --hostname-override="$NODE" \
    --cluster-cidr=10.244.0.0/16 --proxy-mode=iptables --bind-address="$NODE_IP" \
    --healthz-bind-address=127.0.0.1:10256 --metrics-bind-address=127.0.0.1:10249 --nodeport-addresses="$NODE_IP/32"
}

# NetworkPolicy only: pod routes stay the bridge's, Services kube-proxy's; no port of its own is opened. It reads
# its node's address from the Node object, so it starts once the kubelet has registered it.
start_policy_enforcer() {
  start kube-router "$KUBE_ROUTER" --kubeconfig="$D/admin.kubeconfig" --hostname-override="$NODE" \
    --run-firewall=true --run-router=false --run-service-proxy=false --enable-cni=false --enable-ipv6=false \
    --service-cluster-ip-range="$SVC_CIDR" --health-port=0 --metrics-port=0
  sleep 2
  running kube-router || die "kube-router stopped at once; see $LOGS/kube-router.log"
}

# Images the cluster itself needs are built here and kept as tarballs in the cache.
build_pause_image() {
  local t; t=$(mktemp -d)
  gcc -Os -static -o "$t/pause" "$LAMBKIN_ROOT/hack/cluster/pause.c"
  tar -C "$t" -cf "$t/rootfs.tar" pause
  docker import --change 'ENTRYPOINT ["/pause"]' "$t/rootfs.tar" "$PAUSE_IMAGE" >/dev/null
  rm -rf "$t"
}
build_coredns_image() {
  local t; t=$(mktemp -d)
  cp "$LAMBKIN_CACHE/coredns/$COREDNS_VERSION/coredns" "$t/coredns"
  tar -C "$t" -cf "$t/rootfs.tar" coredns
  docker import --change 'ENTRYPOINT ["/coredns"]' --change 'USER 65532' "$t/rootfs.tar" "$COREDNS_IMAGE" >/dev/null
  rm -rf "$t"
}
import_image() { # image builder
  local img=$1 tarball; tarball="$LAMBKIN_CACHE/images/$(echo "$1" | tr '/:' '__').tar"
  if [ ! -f "$tarball" ]; then
    mkdir -p "$LAMBKIN_CACHE/images"
    docker image inspect "$img" >/dev/null 2>&1 || "$2"
    docker save "$img" -o "$tarball.tmp" && mv "$tarball.tmp" "$tarball"
  fi
  ctr_ images import "$tarball" >/dev/null
}

node_ready() { kubectl get node "$NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -q True; }

install_addons() {
  sed "s#COREDNS_IMAGE#$COREDNS_IMAGE#" "$LAMBKIN_ROOT/hack/cluster/coredns.yaml" | kubectl apply -f - >/dev/null
  # pods may use the default ServiceAccount only once the controller-manager made it
  wait_for 60 "the default ServiceAccount" kubectl -n default get serviceaccount default
  local i
  for i in $(seq 240); do
    [ "$(kubectl -n kube-system get deployment coredns -o jsonpath='{.status.readyReplicas}' 2>/dev/null)" = 1 ] && return 0
    sleep 0.5
  done
  die "CoreDNS did not become ready: $(kubectl -n kube-system get pods -o wide 2>&1; kubectl -n kube-system logs deployment/coredns 2>&1 | tail -5)"
}

all_running() { local n; for n in "${COMPONENTS[@]}"; do running "$n" || return 1; done; }

cmd_up() {
  [ "$(id -u)" = 0 ] || die "the local cluster needs root"
  local t0=$SECONDS
  if all_running && node_ready; then
    log "cluster already running"
    install_addons
    cmd_kubeconfig; return 0
  fi
  install_prerequisites
  # anything left over (a killed run, a half-started one) is removed: every `up` starts from a clean slate
  log "cleaning up leftovers"
  teardown
  setup_host_network
  make_pki
  local c; for c in admin:admin kubelet:kubelet controller-manager:controller-manager scheduler:scheduler proxy:proxy; do
    write_kubeconfig "${c%%:*}" "${c##*:}"
  done
  write_configs
  log "starting control plane"
  start_control_plane
  log "starting node"
  start_node
  wait_for 120 "node $NODE to be Ready" node_ready
  start_policy_enforcer
  log "node Ready after $((SECONDS - t0))s; starting CoreDNS"
  install_addons
  log "cluster up in $((SECONDS - t0))s (Kubernetes $K8S_VERSION)"
  cmd_kubeconfig
}

cmd_down() {
  teardown
  log "cluster removed (cached binaries in $LAMBKIN_CACHE and logs in $LOGS kept)"
}

cmd_status() {
  local n rc=0
  for n in "${COMPONENTS[@]}"; do
    if running "$n"; then printf '%-24s running (pid %s)\n' "$n" "$(pids_of "$n" | tr '\n' ' ')"; else printf '%-24s stopped\n' "$n"; rc=1; fi
  done
  if node_ready; then echo "node $NODE Ready"; else echo "node $NODE not Ready"; rc=1; fi
  [ -f "$KUBECONFIG_PATH" ] && echo "export KUBECONFIG=$KUBECONFIG_PATH"
  return $rc
}

cmd_load_image() {
  local img=${1:?usage: load-image IMAGE}
  running containerd || die "the cluster is not running: hack/local-cluster.sh up"
  need_docker
  docker image inspect "$img" >/dev/null 2>&1 || die "no image $img in the local Docker daemon"
  # docker save names the image as tagged; containerd keeps it under that reference
  docker save "$img" | ctr_ images import - >/dev/null
  log "loaded $img"
}

cmd_kubeconfig() {
  [ -f "$KUBECONFIG_PATH" ] || die "no cluster: run hack/local-cluster.sh up"
  echo "$KUBECONFIG_PATH"
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  load-image) shift; cmd_load_image "$@" ;;
  kubeconfig) cmd_kubeconfig ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

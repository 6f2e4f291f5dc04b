#!/usr/bin/env bash
# Builds the Kubernetes server binaries, kubectl, CoreDNS and kube-router from their Go modules (no registry
# serves images or release tarballs here) and caches them by version under $LAMBKIN_CACHE.
# A warm cache makes this a no-op. Usage: hack/build-binaries.sh   (prints the bin dir last)
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

BIN=$LAMBKIN_CACHE/k8s/$K8S_VERSION/bin
K8S_CMDS=(kube-apiserver kube-controller-manager kube-scheduler kube-proxy kubectl kubelet)
COREDNS=$LAMBKIN_CACHE/coredns/$COREDNS_VERSION/coredns
KUBE_ROUTER=$LAMBKIN_CACHE/kube-router/$KUBE_ROUTER_VERSION/kube-router

have_all() { local c; for c in "${K8S_CMDS[@]}"; do [ -x "$BIN/$c" ] || return 1; done; [ -x "$COREDNS" ] && [ -x "$KUBE_ROUTER" ]; }
if have_all; then echo "$BIN"; exit 0; fi

need_go
need_pkgs gcc libc6-dev
export GOFLAGS=-mod=mod

build_k8s() {
  # k8s.io/kubernetes requires its staging modules at v0.0.0, so `go install` of it fails on its own:
  # a wrapper module replaces exactly those with their published v0.X.Y tags.
  local minor=${K8S_VERSION#v1.} w=$LAMBKIN_CACHE/k8s/$K8S_VERSION/src
  local staging=v0.$minor gomod mods m c
  mkdir -p "$w" "$BIN"
  cd "$w"
  [ -f go.mod ] || go mod init lambkin.local/k8sbin >/dev/null 2>&1
  gomod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')
  mods=$(awk '$1 ~ /^k8s.io\// && $2 == "v0.0.0" {print $1}' "$gomod" | sort -u)
  for m in $mods; do go mod edit -replace="$m=$m@$staging"; done
  go mod edit -require="k8s.io/kubernetes@$K8S_VERSION"
  grep -E '^godebug' "$gomod" | while read -r l; do go mod edit -godebug="${l#godebug }" 2>/dev/null || true; done
  cat > tools.go <<'EOT'
//go:build tools
package tools
import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
EOT
  log "resolving k8s.io/kubernetes@$K8S_VERSION modules"
  go mod tidy -e >/dev/null 2>&1 || true
  local ld="-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${minor%%.*} -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=${minor%%.*}"
  for c in "${K8S_CMDS[@]}"; do
    [ -x "$BIN/$c" ] && continue
    log "building $c $K8S_VERSION"
    # the kubelet needs cgo (cadvisor); everything else is static
    if [ "$c" = kubelet ]; then cgo=1; else cgo=0; fi
    CGO_ENABLED=$cgo go build -trimpath -ldflags "$ld" -o "$BIN/$c.tmp" "k8s.io/kubernetes/cmd/$c"
    mv "$BIN/$c.tmp" "$BIN/$c"
  done
}

build_coredns() {
  [ -x "$COREDNS" ] && return 0
  log "building coredns $COREDNS_VERSION"
  local gobin; gobin=$(dirname "$COREDNS")
  mkdir -p "$gobin"
  # static, so it runs in a FROM scratch image
  CGO_ENABLED=0 GOBIN=$gobin go install -trimpath -ldflags "-s -w" "github.com/coredns/coredns@$COREDNS_VERSION"
}

# kube-router, only as the local cluster's NetworkPolicy enforcer (its router and service proxy stay off)
build_kube_router() {
  [ -x "$KUBE_ROUTER" ] && return 0
  log "building kube-router $KUBE_ROUTER_VERSION"
  CGO_ENABLED=0 GOBIN=$(dirname "$KUBE_ROUTER") go install -trimpath -ldflags "-s -w" \
    "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router@$KUBE_ROUTER_VERSION"
}

build_k8s
build_coredns
build_kube_router
have_all || die "some binaries are missing in $BIN"
echo "$BIN"

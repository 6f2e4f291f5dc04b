#!/usr/bin/env bash
# Builds the images integration tests use, in the local Docker daemon:
#   lambkin.local/netcheck:dev   static HTTP server/client (FROM scratch) for pod network, Service and DNS checks
# With --load, also loads them into the local cluster.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
need_docker; need_go

ctx=$(mktemp -d); trap 'rm -rf "$ctx"' EXIT
(cd "$LAMBKIN_ROOT/hack/images/netcheck" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$ctx/netcheck" .)
tar -C "$ctx" -cf "$ctx/rootfs.tar" netcheck
docker import --change 'ENTRYPOINT ["/netcheck"]' --change 'CMD ["serve"]' --change 'USER 65532' \
  "$ctx/rootfs.tar" lambkin.local/netcheck:dev >/dev/null
log "built lambkin.local/netcheck:dev"
if [ "${1:-}" = --load ]; then "$LAMBKIN_ROOT/hack/local-cluster.sh" load-image lambkin.local/netcheck:dev; fi

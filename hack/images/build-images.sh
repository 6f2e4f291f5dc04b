#!/usr/bin/env bash
# Builds Lambkin's images in the local Docker daemon from the Maven build's output:
#   lambkin.local/lambkin-operator:dev
# Usage: hack/images/build-images.sh [--load] [--no-build]   (--load also loads them into the local cluster;
# --no-build uses the existing target/ instead of running Maven)
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
load= build=1
for a in "$@"; do case $a in "") ;; --load) load=1 ;; --no-build) build= ;; *) die "unknown option $a" ;; esac; done
need_docker; select_java; need_maven
cd "$LAMBKIN_ROOT"
JAVA_BASE=$(hack/images/build-base.sh | tail -1)
if [ -n "$build" ]; then
  log "mvn package (operator)"
  mvn -B -ntp -q package -DskipTests -pl operator -am
fi
TAG=${LAMBKIN_IMAGE_TAG:-dev}
docker build -q --build-arg JAVA_BASE="$JAVA_BASE" -t "lambkin.local/lambkin-operator:$TAG" \
  -f operator/src/main/docker/Dockerfile operator/target/quarkus-app >/dev/null
log "built lambkin.local/lambkin-operator:$TAG"
[ -n "$load" ] && hack/local-cluster.sh load-image "lambkin.local/lambkin-operator:$TAG"
exit 0

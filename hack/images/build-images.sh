#!/usr/bin/env bash
# Builds Lambkin's images in the local Docker daemon from the Maven build's output:
#   lambkin.local/lambkin-operator:dev
#   lambkin.local/lambkin-gateway:dev
#   lambkin.local/hello-java:dev          (examples/hello-java, on Lambkin's Java runtime)
#   lambkin.local/sdk-probe:dev           (test-functions/sdk-probe, the Java SDK's stand-in function for tests)
#   lambkin.local/nats:<version>           (nats-server with JetStream, built from its Go module, FROM scratch)
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
  log "mvn package (operator, function-gateway, examples/hello-java, test-functions/sdk-probe)"
  mvn -B -ntp -q package -DskipTests -pl operator,function-gateway,examples/hello-java,test-functions/sdk-probe -am
fi
TAG=${LAMBKIN_IMAGE_TAG:-dev}
for app in operator function-gateway; do
  [ -f "$app/target/quarkus-app/quarkus-run.jar" ] || continue  # the gateway is built after the operator
  docker build -q --build-arg JAVA_BASE="$JAVA_BASE" -t "lambkin.local/lambkin-${app#function-}:$TAG" \
    -f hack/images/quarkus-app/Dockerfile "$app/target/quarkus-app" >/dev/null
done
docker build -q --build-arg JAVA_BASE="$JAVA_BASE" -t "lambkin.local/hello-java:$TAG" examples/hello-java >/dev/null
docker build -q --build-arg JAVA_BASE="$JAVA_BASE" -t "lambkin.local/sdk-probe:$TAG" test-functions/sdk-probe >/dev/null
need_nats
NATS_IMAGE=lambkin.local/nats:${NATS_VERSION#v}
if ! docker image inspect "$NATS_IMAGE" >/dev/null 2>&1; then
  ctx=$(mktemp -d)
  cp "$NATS_SERVER" "$ctx/nats-server"
  tar -C "$ctx" -cf "$ctx/rootfs.tar" nats-server
  docker import --change 'ENTRYPOINT ["/nats-server"]' --change 'USER 65532' "$ctx/rootfs.tar" "$NATS_IMAGE" >/dev/null
  rm -rf "$ctx"
fi
log "built Lambkin's images ($TAG) and $NATS_IMAGE"
if [ -n "$load" ]; then
  for image in lambkin-operator:$TAG lambkin-gateway:$TAG hello-java:$TAG sdk-probe:$TAG nats:${NATS_VERSION#v}; do
    docker image inspect "lambkin.local/$image" >/dev/null 2>&1 && hack/local-cluster.sh load-image "lambkin.local/$image"
  done
fi
exit 0

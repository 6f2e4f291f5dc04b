#!/usr/bin/env bash
# Builds Lambkin's images in the local Docker daemon from the Maven build's output:
#   lambkin.local/lambkin-operator:dev
#   lambkin.local/lambkin-gateway:dev
#   lambkin.local/hello-java:dev          (examples/hello-java, on Lambkin's Java runtime)
#   lambkin.local/sdk-probe:dev           (test-functions/sdk-probe, the Java SDK's stand-in function for tests)
#   lambkin.local/lambkin-runtime-api:dev (runtimes/lambda-runtime-api, the helper that runs Lambda images; FROM scratch)
#   lambkin.local/hello-lambda-java:dev   (examples/hello-lambda-java, on AWS's Java runtime interface client)
#   lambkin.local/hello-lambda-python:dev (examples/hello-lambda-python, on AWS's Python runtime interface client)
#   lambkin.local/hello-lambda-go:dev     (examples/hello-lambda-go, a custom runtime's bootstrap on aws-lambda-go; FROM scratch)
#   lambkin.local/floor-proxy:dev         (hack/bench/floor-proxy, a bare Vert.x reverse proxy: the benchmarks' floor for one JVM hop)
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
  log "mvn package (operator, function-gateway, examples/hello-java, examples/hello-lambda-java, test-functions/sdk-probe, hack/bench/floor-proxy)"
  mvn -B -ntp -q package -DskipTests -pl operator,function-gateway,examples/hello-java,examples/hello-lambda-java,test-functions/sdk-probe,hack/bench/floor-proxy -am
fi
TAG=${LAMBKIN_IMAGE_TAG:-dev}
for app in operator function-gateway; do
  [ -f "$app/target/quarkus-app/quarkus-run.jar" ] || continue  # the gateway is built after the operator
  docker build -q --build-arg JAVA_BASE="$JAVA_BASE" -t "lambkin.local/lambkin-${app#function-}:$TAG" \
    -f hack/images/quarkus-app/Dockerfile "$app/target/quarkus-app" >/dev/null
done
docker build -q --build-arg JAVA_BASE="$JAVA_BASE" -t "lambkin.local/hello-java:$TAG" examples/hello-java >/dev/null
docker build -q --build-arg JAVA_BASE="$JAVA_BASE" -t "lambkin.local/sdk-probe:$TAG" test-functions/sdk-probe >/dev/null
[ -f hack/bench/floor-proxy/target/floor-proxy.jar ] &&
  docker build -q --build-arg JAVA_BASE="$JAVA_BASE" -t "lambkin.local/floor-proxy:$TAG" hack/bench/floor-proxy >/dev/null
# (with --no-build on a tree built before this example existed, there is nothing to build it from)
[ -f examples/hello-lambda-java/target/hello.jar ] &&
  docker build -q --build-arg JAVA_BASE="$JAVA_BASE" -t "lambkin.local/hello-lambda-java:$TAG" examples/hello-lambda-java >/dev/null

# the Runtime API helper: one static binary in an image of its own, which an init container copies into the pod
need_go
ctx=$(mktemp -d)
(cd runtimes/lambda-runtime-api && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$ctx/lambkin-runtime-api" .)
tar -C "$ctx" -cf "$ctx/rootfs.tar" lambkin-runtime-api
docker import --change 'ENTRYPOINT ["/lambkin-runtime-api"]' --change 'USER 65532' "$ctx/rootfs.tar" \
  "lambkin.local/lambkin-runtime-api:$TAG" >/dev/null
rm -rf "$ctx"

# a custom runtime as provided.al2023 runs one: /var/runtime/bootstrap, here on AWS's Go library, FROM scratch
ctx=$(mktemp -d)
mkdir -p "$ctx/var/runtime"
(cd examples/hello-lambda-go && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$ctx/var/runtime/bootstrap" .)
tar -C "$ctx" -cf "$ctx/rootfs.tar" var
docker import --change 'ENTRYPOINT ["/var/runtime/bootstrap"]' --change 'USER 65532' "$ctx/rootfs.tar" \
  "lambkin.local/hello-lambda-go:$TAG" >/dev/null
rm -rf "$ctx"

# AWS's Python runtime interface client, from PyPI on the host (pip inside docker build does not trust the TLS
# chain here), on Debian's python3 (3.11, the wheel's CPython)
AWSLAMBDARIC_VERSION=4.2.2
ric=$LAMBKIN_CACHE/pypi/awslambdaric-$AWSLAMBDARIC_VERSION
if [ ! -d "$ric" ]; then
  need_awscli # its virtualenv's pip
  log "installing awslambdaric $AWSLAMBDARIC_VERSION (PyPI)"
  rm -rf "$ric.tmp" # an interrupted install would be cached as a whole one
  # the image's CPython (Debian 12: 3.11), not the host's, picks the compiled wheels
  "$(dirname "$AWSCLI")/pip" install -q --only-binary=:all: --implementation cp --python-version 3.11 --abi cp311 \
    --platform "manylinux2014_$(uname -m)" --target "$ric.tmp" "awslambdaric==$AWSLAMBDARIC_VERSION" && mv "$ric.tmp" "$ric"
fi
rm -rf examples/hello-lambda-python/runtime && cp -r "$ric" examples/hello-lambda-python/runtime
docker build -q --network host --build-arg BASE=lambkin.local/debian:bookworm-minbase \
  -t "lambkin.local/hello-lambda-python:$TAG" examples/hello-lambda-python >/dev/null
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
  for image in lambkin-operator:$TAG lambkin-gateway:$TAG hello-java:$TAG sdk-probe:$TAG lambkin-runtime-api:$TAG \
      hello-lambda-java:$TAG hello-lambda-python:$TAG hello-lambda-go:$TAG floor-proxy:$TAG nats:${NATS_VERSION#v}; do
    docker image inspect "lambkin.local/$image" >/dev/null 2>&1 && hack/local-cluster.sh load-image "lambkin.local/$image"
  done
fi
exit 0

#!/usr/bin/env bash
# Builds the base images every Lambkin image starts from, in the local Docker daemon:
#   lambkin.local/debian:bookworm-minbase   Debian root filesystem from debootstrap --variant=minbase (cached)
#   lambkin.local/java-runtime:<jdk>        a jlink'd runtime of the build JDK on top of it
# Every Lambkin Dockerfile takes its base as a build argument, so users with a registry can build on public
# bases instead (e.g. --build-arg JAVA_BASE=eclipse-temurin:21-jre). Prints the Java base image's name last.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

SUITE=bookworm
DEBIAN_IMAGE=lambkin.local/debian:$SUITE-minbase
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# Modules a Quarkus app (Vert.x, Netty, Jackson, the Kubernetes client, JMX metrics) needs, plus the JFR.
JAVA_MODULES=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.cryptoki,jdk.httpserver,jdk.jfr,jdk.management,jdk.management.agent,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs

need_docker
select_java

if ! docker image inspect "$DEBIAN_IMAGE" >/dev/null 2>&1; then
  tarball=$LAMBKIN_CACHE/base/debian-$SUITE-minbase.tar
  if [ ! -f "$tarball" ]; then
    need_pkgs debootstrap
    log "debootstrap $SUITE (minbase)"
    root=$(mktemp -d)
    debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" >/dev/null
    # apt caches and docs are not needed at run time
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/*
    mkdir -p "$(dirname "$tarball")"
    tar -C "$root" --numeric-owner -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$root"
  fi
  docker import --change 'CMD ["/bin/bash"]' "$tarball" "$DEBIAN_IMAGE" >/dev/null
  log "built $DEBIAN_IMAGE"
fi

jdk=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
JAVA_IMAGE=lambkin.local/java-runtime:$jdk
# the recipe's revision, as a label: a runtime built by an earlier recipe is built again (the tag stays)
RUNTIME_REV=2
if [ "$(docker image inspect -f '{{ index .Config.Labels "dev.lambkin.runtime-rev" }}' "$JAVA_IMAGE" 2>/dev/null)" != "$RUNTIME_REV" ]; then
  ctx=$(mktemp -d)
  log "jlink $JAVA_HOME -> $JAVA_IMAGE"
  "$JAVA_HOME/bin/jlink" --add-modules "$JAVA_MODULES" --strip-debug --no-header-files --no-man-pages \
    --output "$ctx/jre" 2>&1 | grep -v '^Warning' || true
  [ -x "$ctx/jre/bin/java" ] || die "jlink failed"
  # a class-data-sharing archive makes every JVM start faster
  "$ctx/jre/bin/java" -Xshare:dump >/dev/null 2>&1 || true
  # and one for compact object headers (the chart's default for Lambkin's JVMs), which cannot use the other
  "$ctx/jre/bin/java" -XX:+UseCompactObjectHeaders -Xshare:dump >/dev/null 2>&1 || true
  [ -f "$ctx/jre/lib/server/classes_coh.jsa" ] || die "no class-data-sharing archive for compact object headers"
  cp "$LAMBKIN_ROOT/hack/images/java-runtime/Dockerfile" "$ctx/"
  docker build -q --build-arg BASE="$DEBIAN_IMAGE" --label "dev.lambkin.runtime-rev=$RUNTIME_REV" -t "$JAVA_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
  log "built $JAVA_IMAGE"
fi
echo "$JAVA_IMAGE"

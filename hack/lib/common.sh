# Shared helpers for Lambkin's scripts. Source it: `. "$(dirname "$0")/lib/common.sh"`.
# Every script installs what it needs itself, so a fresh machine needs nothing done by hand.

LAMBKIN_ROOT=${LAMBKIN_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# Caches live outside the repository so a fresh clone reuses them (built binaries, base images).
LAMBKIN_CACHE=${LAMBKIN_CACHE:-/var/cache/lambkin}
K8S_VERSION=${K8S_VERSION:-v1.34.4}
COREDNS_VERSION=${COREDNS_VERSION:-v1.15.0}
# the local cluster's NetworkPolicy enforcer (test infrastructure): the only version the Go module proxy serves here
KUBE_ROUTER_VERSION=${KUBE_ROUTER_VERSION:-v2.1.0}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs Debian packages that are missing; apt-get update runs at most once per script run.
_apt_updated=
need_pkgs() {
  local missing=() p
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "need root to install Debian packages: ${missing[*]}"
  if [ -z "$_apt_updated" ]; then log "apt-get update"; apt-get update -qq >/dev/null; _apt_updated=1; fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Picks a JDK >= 21 for builds and jlink: JAVA_HOME if it qualifies, else Temurin 25, else any installed one.
select_java() {
  local c v
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-2[1-9]* /usr/lib/jvm/java-2[1-9]-openjdk-amd64; do
    [ -n "$c" ] && [ -x "$c/bin/javac" ] || continue
    v=$("$c/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ "${v:-0}" -ge 21 ] 2>/dev/null; then export JAVA_HOME=$c PATH=$c/bin:$PATH; return 0; fi
  done
  die "no JDK >= 21 found (looked at JAVA_HOME, /usr/lib/jvm/temurin-25-jdk-amd64 and /usr/lib/jvm). Install Temurin 21+ and set JAVA_HOME."
}

# Maven >= 3.8 (Debian's is 3.8.7).
need_maven() {
  command -v mvn >/dev/null || need_pkgs maven
}

need_go() {
  command -v go >/dev/null || [ -x /usr/local/go/bin/go ] || need_pkgs golang-go
  [ -x /usr/local/go/bin/go ] && export PATH=/usr/local/go/bin:$PATH
  export GOTOOLCHAIN=local
}

# The Docker daemon builds images; started here when it is not running (Debian's docker.io).
# Debian's client matches its daemon (20.10); another client earlier in PATH may not.
docker() { if [ -x /usr/bin/docker ]; then /usr/bin/docker "$@"; else command docker "$@"; fi; }
need_docker() {
  need_pkgs docker.io
  if ! docker info >/dev/null 2>&1; then
    log "starting dockerd"
    # a daemon killed earlier leaves its pid file, and dockerd refuses to start over it
    pgrep -x dockerd >/dev/null || rm -f /var/run/docker.pid
    mkdir -p /var/log/lambkin
    setsid dockerd >/var/log/lambkin/dockerd.log 2>&1 < /dev/null &
    local i; for i in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || die "dockerd did not start; see /var/log/lambkin/dockerd.log"
  fi
}

NATS_VERSION=${NATS_VERSION:-v2.15.2}
HELM_VERSION=${HELM_VERSION:-v3.22.0}
# Helm, built from its Go module (Debian has no package) and cached by version; sets HELM.
# NATS server with JetStream, the async backbone: a static binary built from its Go module, cached by version.
need_nats() {
  NATS_SERVER=$LAMBKIN_CACHE/nats/$NATS_VERSION/nats-server
  [ -x "$NATS_SERVER" ] && return 0
  need_go
  log "building nats-server $NATS_VERSION"
  mkdir -p "$(dirname "$NATS_SERVER")"
  GOFLAGS=-mod=mod CGO_ENABLED=0 GOBIN=$(dirname "$NATS_SERVER") go install -trimpath -ldflags "-s -w" \
    "github.com/nats-io/nats-server/v2@$NATS_VERSION"
}
AWSCLI_VERSION=${AWSCLI_VERSION:-1.46.2}
# The AWS CLI (v1, from PyPI) in its own virtualenv, cached by version; sets AWSCLI. The e2e suite invokes with it.
need_awscli() {
  AWSCLI=$LAMBKIN_CACHE/awscli/$AWSCLI_VERSION/bin/aws
  [ -x "$AWSCLI" ] && return 0
  log "installing awscli $AWSCLI_VERSION (PyPI)"
  python3 -m venv "$LAMBKIN_CACHE/awscli/$AWSCLI_VERSION"
  "$LAMBKIN_CACHE/awscli/$AWSCLI_VERSION/bin/pip" install -q "awscli==$AWSCLI_VERSION"
}
SCHEMATHESIS_VERSION=${SCHEMATHESIS_VERSION:-4.32.5}
# Schemathesis (PyPI), the property-based fuzzer the gateway's OpenAPI document is tried with; sets SCHEMATHESIS.
need_schemathesis() {
  SCHEMATHESIS=$LAMBKIN_CACHE/schemathesis/$SCHEMATHESIS_VERSION/bin/schemathesis
  [ -x "$SCHEMATHESIS" ] && return 0
  log "installing schemathesis $SCHEMATHESIS_VERSION (PyPI)"
  python3 -m venv "$LAMBKIN_CACHE/schemathesis/$SCHEMATHESIS_VERSION"
  "$LAMBKIN_CACHE/schemathesis/$SCHEMATHESIS_VERSION/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
}
need_helm() {
  HELM=$LAMBKIN_CACHE/helm/$HELM_VERSION/helm
  [ -x "$HELM" ] && return 0
  need_go
  log "building helm $HELM_VERSION"
  mkdir -p "$(dirname "$HELM")"
  GOFLAGS=-mod=mod CGO_ENABLED=0 GOBIN=$(dirname "$HELM") go install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
}

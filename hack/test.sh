#!/usr/bin/env bash
# Runs every test: unit tests, the CRD drift check, and the integration tests (*IT) against a real
# Kubernetes cluster. Uses the cluster named by KUBECONFIG when it answers; otherwise brings up the local
# cluster (hack/local-cluster.sh up). Installs what it needs. Extra arguments go to Maven (e.g. -pl operator).
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
t0=$SECONDS
select_java; need_maven
log "Java: $JAVA_HOME"
cd "$LAMBKIN_ROOT"

BIN=$LAMBKIN_CACHE/k8s/$K8S_VERSION/bin
local_cluster=
if [ -n "${KUBECONFIG:-}" ] && kubectl --kubeconfig "${KUBECONFIG%%:*}" get --raw /readyz >/dev/null 2>&1; then
  log "using the cluster from KUBECONFIG=$KUBECONFIG"
else
  KUBECONFIG=$(hack/local-cluster.sh up | tail -1); export KUBECONFIG
  local_cluster=1
fi
[ -x "$BIN/kubectl" ] && export LAMBKIN_KUBECTL=$BIN/kubectl PATH=$BIN:$PATH

need_helm; export LAMBKIN_HELM=$HELM
# the e2e suite calls Lambda's API on the gateway with the AWS CLI, unmodified
need_awscli; export LAMBKIN_AWS=$AWSCLI
# ApiFuzzIT tries the gateway against its OpenAPI document with Schemathesis, unmodified
need_schemathesis; export LAMBKIN_SCHEMATHESIS=$SCHEMATHESIS
# the integration tests run a real NATS server (JetStream) beside the gateway and operator under test
need_nats; export LAMBKIN_NATS_SERVER=$NATS_SERVER
# An operator installed by the quickstart watches every namespace and would fight the one under test.
if "$HELM" status lambkin -n lambkin-system >/dev/null 2>&1; then
  log "uninstalling the quickstart's Lambkin release (lambkin-system) for the tests"
  "$HELM" uninstall lambkin -n lambkin-system --wait >/dev/null
fi
hack/images/build-base.sh >/dev/null
# Lambkin's own images are built by the e2e module from the build output and loaded there.
if [ -n "$local_cluster" ]; then
  hack/images/build-test-images.sh --load
  load=--load
else
  hack/images/build-test-images.sh
  load=
  log "note: images are not loaded into a cluster other than the local one; make lambkin.local/* images available to it"
fi

need_go
log "go test (the Runtime API helper)"
(cd runtimes/lambda-runtime-api && go test ./...)
log "mvn verify (unit and integration tests)"
mvn -B -ntp verify -Dits -Dlambkin.images.load="$load" "$@"
log "all tests passed in $((SECONDS - t0))s"

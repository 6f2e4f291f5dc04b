#!/usr/bin/env bash
# Regenerates crds/ and helm/lambkin/crds/ from the Java model (operator/api). Commit the result.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
select_java; need_maven
cd "$LAMBKIN_ROOT"
mvn -B -q -pl operator/api -am install -DskipTests=false -Dtest=CrdGenerationTest -Dsurefire.failIfNoSpecifiedTests=false -Dlambkin.crds.update=true
ls crds helm/lambkin/crds

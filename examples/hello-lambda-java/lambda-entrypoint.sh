#!/bin/sh
# As in AWS's Java base images: the runtime interface client runs the handler named by the first argument.
# C1 and the serial GC, as Lambkin's own Java functions: an instance is small and short-lived.
exec java --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -cp "${LAMBDA_TASK_ROOT:-/var/task}/lib/*" \
  com.amazonaws.services.lambda.runtime.api.client.AWSLambda "$@"

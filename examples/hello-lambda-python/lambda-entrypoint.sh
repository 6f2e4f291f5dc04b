#!/bin/sh
# As in AWS's Python base images: the runtime interface client runs the handler named by the first argument.
exec python3 -m awslambdaric "$@"

module lambkin.dev/runtimes/lambda-runtime-api

go 1.22

package main

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
	"time"
)

// The names of both contracts this helper joins. Lambkin's are dev.lambkin.contract.Contract's (Java); the Runtime
// API's are AWS's (docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html).
const (
	headerRequestID     = "Lambkin-Request-Id"
	headerDeadlineMs    = "Lambkin-Deadline-Ms"
	headerTraceparent   = "traceparent"
	headerLogType       = "Lambkin-Log-Type"
	headerClientContext = "Lambkin-Client-Context"
	headerFunctionError = "Lambkin-Function-Error"
	headerMaxMemoryUsed = "Lambkin-Max-Memory-Used"
	headerLogResult     = "Lambkin-Log-Result"
	logTypeTail         = "Tail"
	unhandled           = "Unhandled"
	errorTypeExit       = "Runtime.ExitError"
	errorTypeUnavail    = "Runtime.Unavailable"
	errorTypeTooLarge   = "Function.ResponseSizeTooLarge"
	logTailBytes        = 4096
	maxResponseBytes    = 6 * 1024 * 1024
	maxEventBytes       = 6 * 1024 * 1024

	runtimePrefix           = "/2018-06-01/runtime/"
	rtHeaderRequestID       = "Lambda-Runtime-Aws-Request-Id"
	rtHeaderDeadlineMs      = "Lambda-Runtime-Deadline-Ms"
	rtHeaderFunctionArn     = "Lambda-Runtime-Invoked-Function-Arn"
	rtHeaderTraceID         = "Lambda-Runtime-Trace-Id"
	rtHeaderClientContext   = "Lambda-Runtime-Client-Context"
	rtHeaderErrorType       = "Lambda-Runtime-Function-Error-Type"
	defaultRuntimeAPIListen = "127.0.0.1:9001"
)

// settings come from the pod's environment, which the operator writes (FunctionPodTemplate).
type settings struct {
	pushAddr       string // where the gateway's calls arrive: ":" + LAMBKIN_PORT
	runtimeAPIAddr string // where the runtime's calls arrive (AWS_LAMBDA_RUNTIME_API)
	functionArn    string // Lambda-Runtime-Invoked-Function-Arn
	timeout        time.Duration
	terminationLog string // the container's termination message file
	peakMemory     []string
}

func settingsFromEnv() settings {
	port := os.Getenv("LAMBKIN_PORT")
	if port == "" {
		port = "8080"
	}
	api := os.Getenv("AWS_LAMBDA_RUNTIME_API")
	if api == "" {
		api = defaultRuntimeAPIListen
	}
	timeout, err := strconv.Atoi(os.Getenv("LAMBKIN_TIMEOUT_SECONDS"))
	if err != nil || timeout <= 0 {
		timeout = 3
	}
	return settings{
		pushAddr:       ":" + port,
		runtimeAPIAddr: api,
		functionArn:    os.Getenv("LAMBKIN_FUNCTION_ARN"),
		timeout:        time.Duration(timeout) * time.Second,
		terminationLog: "/dev/termination-log",
		peakMemory:     []string{"/sys/fs/cgroup/memory.peak", "/sys/fs/cgroup/memory/memory.max_usage_in_bytes"},
	}
}

// traceID turns a W3C traceparent (00-<trace>-<parent>-<flags>) into the X-Ray form Lambda hands its runtimes:
// Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=<0|1>. The same trace, so spans the function makes join it.
func traceID(traceparent string, now time.Time) string {
	p := strings.Split(traceparent, "-")
	if len(p) == 4 && len(p[1]) == 32 && len(p[2]) == 16 && len(p[3]) == 2 {
		sampled := "0"
		if flags, err := strconv.ParseUint(p[3], 16, 8); err == nil && flags&1 == 1 {
			sampled = "1"
		}
		return "Root=1-" + p[1][:8] + "-" + p[1][8:] + ";Parent=" + p[2] + ";Sampled=" + sampled
	}
	random := make([]byte, 12)
	rand.Read(random)
	return "Root=1-" + strconv.FormatInt(now.Unix(), 16) + "-" + hex.EncodeToString(random) + ";Sampled=0"
}

// peakMemoryBytes reads the container's peak memory use from its cgroup, for the REPORT record.
func peakMemoryBytes(files []string) string {
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil {
			v := strings.TrimSpace(string(b))
			if _, err := strconv.ParseUint(v, 10, 64); err == nil {
				return v
			}
		}
	}
	return ""
}

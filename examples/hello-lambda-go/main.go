// hello-lambda-go: a Lambda function on a custom runtime (provided.al2023's way: a static binary named bootstrap),
// written with AWS's own Go library, nothing of Lambkin in it. It greets whoever the event names and tells what
// Lambda's context says about the invocation; an event with "fail" returns an error.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type event struct {
	Name string `json:"name"`
	Fail string `json:"fail"`
}

func handle(ctx context.Context, e event) (map[string]any, error) {
	lc, _ := lambdacontext.FromContext(ctx)
	fmt.Println("hello-lambda-go: greeting", e.Name)
	if e.Fail != "" {
		return nil, errors.New(e.Fail)
	}
	deadline, _ := ctx.Deadline()
	return map[string]any{
		"greeting":              "Hello, " + e.Name + "!",
		"requestId":             lc.AwsRequestID,
		"functionName":          lambdacontext.FunctionName,
		"functionVersion":       lambdacontext.FunctionVersion,
		"invokedFunctionArn":    lc.InvokedFunctionArn,
		"memoryLimitInMB":       lambdacontext.MemoryLimitInMB,
		"remainingTimeInMillis": time.Until(deadline).Milliseconds(),
		"logGroupName":          lambdacontext.LogGroupName,
		"logStreamName":         lambdacontext.LogStreamName,
		"clientContextCustom":   lc.ClientContext.Custom,
		"region":                os.Getenv("AWS_REGION"),
		"traceId":               os.Getenv("_X_AMZN_TRACE_ID"),
	}, nil
}

func main() {
	lambda.Start(handle)
}

"""A handler as written for AWS Lambda's Python runtime, nothing of Lambkin in it: greets whoever the event
names and tells what Lambda's context says about the invocation. An event with "fail" raises; one with "exit"
ends the process mid-invocation, as a crashing function does."""
import os


def handler(event, context):
    print("hello-lambda-python: greeting", event.get("name"))
    if "exit" in event:
        os._exit(int(event["exit"]))
    if "fail" in event:
        raise ValueError(str(event["fail"]))
    return {
        "greeting": "Hello, %s!" % event.get("name", "world"),
        "requestId": context.aws_request_id,
        "functionName": context.function_name,
        "functionVersion": context.function_version,
        "invokedFunctionArn": context.invoked_function_arn,
        "memoryLimitInMB": int(context.memory_limit_in_mb),
        "remainingTimeInMillis": context.get_remaining_time_in_millis(),
        "logGroupName": context.log_group_name,
        "logStreamName": context.log_stream_name,
        "clientContextCustom": context.client_context.custom if context.client_context else None,
        "region": os.environ.get("AWS_REGION"),
        "traceId": os.environ.get("_X_AMZN_TRACE_ID"),
    }

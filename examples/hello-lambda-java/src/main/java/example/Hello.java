package example;

import java.util.LinkedHashMap;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * A handler as written for AWS Lambda, nothing of Lambkin in it: greets whoever the event names and tells what
 * Lambda's context says about the invocation. An event with "fail" throws, as a failing function does.
 */
public class Hello implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        context.getLogger().log("hello-lambda-java: greeting " + event.get("name"));
        if (event.containsKey("fail")) {
            throw new IllegalStateException(String.valueOf(event.get("fail")));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("greeting", "Hello, " + event.getOrDefault("name", "world") + "!");
        answer.put("requestId", context.getAwsRequestId());
        answer.put("functionName", context.getFunctionName());
        answer.put("functionVersion", context.getFunctionVersion());
        answer.put("invokedFunctionArn", context.getInvokedFunctionArn());
        answer.put("memoryLimitInMB", context.getMemoryLimitInMB());
        answer.put("remainingTimeInMillis", context.getRemainingTimeInMillis());
        answer.put("logGroupName", context.getLogGroupName());
        answer.put("logStreamName", context.getLogStreamName());
        answer.put("clientContextCustom", context.getClientContext() == null ? null : context.getClientContext().getCustom());
        answer.put("region", System.getenv("AWS_REGION"));
        answer.put("traceId", System.getProperty("com.amazonaws.xray.traceHeader"));
        return answer;
    }
}

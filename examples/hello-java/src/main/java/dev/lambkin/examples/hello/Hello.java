package dev.lambkin.examples.hello;

import java.util.Map;

import dev.lambkin.runtime.Context;
import dev.lambkin.runtime.FunctionError;
import dev.lambkin.runtime.Handler;
import dev.lambkin.runtime.LambkinRuntime;

/** Greets whoever the event names: {"name": "Ada"} → {"message": "Hello, Ada!"}. */
public class Hello implements Handler<Hello.Event, Map<String, Object>> {
    /** The event this function takes. */
    public record Event(String name) {
    }

    @Override
    public Map<String, Object> handle(Event event, Context context) {
        if (event == null || event.name() == null || event.name().isBlank()) {
            throw new FunctionError("MissingName", "the event needs a name, e.g. {\"name\": \"Ada\"}");
        }
        context.logger().log("greeting %s", event.name());
        return Map.of("message", "Hello, " + event.name() + "!",
                "function", context.functionName(),
                "remainingTimeMillis", context.remainingTimeMillis());
    }

    public static void main(String[] args) throws Exception {
        LambkinRuntime.start(new Hello(), Event.class);
    }
}

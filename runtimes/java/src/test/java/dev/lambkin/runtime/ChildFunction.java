package dev.lambkin.runtime;

import java.util.Map;

/**
 * A function started in its own JVM by {@link ProcessLifecycleTest}, to see the process end for real. The event:
 * {"sleepMs": N} sleeps (ignoring interrupts with "runaway": true), then {"exit": N} calls System.exit(N).
 */
public final class ChildFunction {
    private ChildFunction() {
    }

    public static void main(String[] args) throws Exception {
        Handler<Map<String, Object>, Object> handler = (event, ctx) -> {
            ctx.logger().log("started");
            long until = System.currentTimeMillis() + ((Number) event.getOrDefault("sleepMs", 0)).longValue();
            for (long left; (left = until - System.currentTimeMillis()) > 0;) {
                try {
                    Thread.sleep(left);
                } catch (InterruptedException e) {
                    if (!Boolean.TRUE.equals(event.get("runaway"))) {
                        throw e;
                    }
                }
            }
            if (event.get("exit") instanceof Number code) {
                System.exit(code.intValue());
            }
            return "slept";
        };
        LambkinRuntime.start(handler, Map.class);
    }
}

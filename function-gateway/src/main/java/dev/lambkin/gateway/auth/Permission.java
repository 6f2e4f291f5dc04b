package dev.lambkin.gateway.auth;

/**
 * What a request asks to do, as a Kubernetes resource attribute: verb on a named object of a lambkin.dev
 * resource. Invoking a function is the verb {@code invoke} on {@code functions} (the analogue of
 * lambda:InvokeFunction); the dead-letter API is {@code get}, {@code redrive} and {@code purge} on
 * {@code deadletterqueues}.
 */
public record Permission(String resource, String verb, String namespace, String name) {
    public static final String GROUP = "lambkin.dev";

    public static Permission invoke(String namespace, String function) {
        return new Permission("functions", "invoke", namespace, function);
    }

    public static Permission deadLetters(String verb, String namespace, String queue) {
        return new Permission("deadletterqueues", verb, namespace, queue);
    }

    @Override
    public String toString() {
        return verb + " " + resource + "." + GROUP + " \"" + name + "\" in namespace \"" + namespace + "\"";
    }
}

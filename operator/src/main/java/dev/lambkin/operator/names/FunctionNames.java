package dev.lambkin.operator.names;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.lambkin.api.v1alpha1.Function;

/**
 * Names and labels of everything the operator makes for a Function, derived in this one place. The
 * Function's name is a DNS-1035 label (the CRD enforces it), so it is used as is for every object.
 */
public final class FunctionNames {
    public static final String FUNCTION_LABEL = "lambkin.dev/function";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "lambkin-operator";
    /** Label selector of every object the operator makes for a Function. */
    public static final String OWNED = MANAGED_BY_LABEL + "=" + MANAGED_BY;
    public static final String CONTAINER = "function";
    public static final String PORT_NAME = "http";
    public static final String TMP_VOLUME = "tmp";
    /** The init container that installs the Runtime API helper, and the volume it installs it in. */
    public static final String RUNTIME_API_HELPER = "lambkin-runtime-api";

    private FunctionNames() {
    }

    public static String deployment(Function fn) {
        return fn.getMetadata().getName();
    }

    public static String service(Function fn) {
        return fn.getMetadata().getName();
    }

    public static String networkPolicy(Function fn) {
        return fn.getMetadata().getName();
    }

    /** Selects the function's pods; never changes for a Function, so Deployments can be updated in place. */
    public static Map<String, String> selector(Function fn) {
        return Map.of(FUNCTION_LABEL, fn.getMetadata().getName());
    }

    /** Labels on every object and pod of the function. */
    public static Map<String, String> labels(Function fn) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", fn.getMetadata().getName());
        labels.put("app.kubernetes.io/component", "function");
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        labels.put(FUNCTION_LABEL, fn.getMetadata().getName());
        return labels;
    }

    /** The gateway URL that invokes the function. */
    public static String url(String gatewayUrl, Function fn) {
        String base = gatewayUrl.endsWith("/") ? gatewayUrl.substring(0, gatewayUrl.length() - 1) : gatewayUrl;
        return base + "/functions/" + fn.getMetadata().getNamespace() + "/" + fn.getMetadata().getName();
    }

    /** Parses a k=v,k2=v2 selector. */
    public static Map<String, String> parseSelector(String selector) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : selector.split(",")) {
            String[] kv = pair.trim().split("=", 2);
            if (kv.length == 2 && !kv[0].isBlank()) {
                labels.put(kv[0].trim(), kv[1].trim());
            }
        }
        return labels;
    }
}

package dev.lambkin.gateway.aws;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.lambkin.api.v1alpha1.Names;

/**
 * How Lambda's API names a function, read as Lambkin's namespace and name: a plain name (in the caller's
 * namespace), a partial ARN {@code <namespace>:function:<name>} or a full ARN
 * {@code arn:aws:lambda:<region>:<namespace>:function:<name>}, each with an optional {@code :<qualifier>}; the
 * account field is the namespace. Plain Java.
 */
public final class FunctionNames {
    /** The only version there is until versions exist. */
    public static final String LATEST = "$LATEST";

    private static final Pattern ARN = Pattern.compile("^arn:aws[a-z-]*:lambda:([a-z0-9-]+):([^:]+):function:([^:]+)(?::([^:]+))?$");
    private static final Pattern PARTIAL = Pattern.compile("^([^:]+):function:([^:]+)(?::([^:]+))?$");
    private static final Pattern PLAIN = Pattern.compile("^([^:]+)(?::([^:]+))?$");

    /** A function named by a request; namespace null when the name did not say. */
    public record Named(String namespace, String name, String qualifier) {
    }

    private FunctionNames() {
    }

    /**
     * The name as given (URL-decoded), with the Qualifier parameter (or null); throws IllegalArgumentException
     * with what is wrong.
     */
    public static Named parse(String functionName, String qualifierParam) {
        if (functionName == null || functionName.isEmpty() || functionName.length() > 170) {
            throw new IllegalArgumentException("FunctionName must be 1 to 170 characters");
        }
        String ns, name, qualifier;
        Matcher m;
        if ((m = ARN.matcher(functionName)).matches()) {
            ns = m.group(2);
            name = m.group(3);
            qualifier = m.group(4);
        } else if ((m = PARTIAL.matcher(functionName)).matches()) {
            ns = m.group(1);
            name = m.group(2);
            qualifier = m.group(3);
        } else if ((m = PLAIN.matcher(functionName)).matches()) {
            ns = null;
            name = m.group(1);
            qualifier = m.group(2);
        } else {
            throw new IllegalArgumentException("FunctionName " + functionName
                    + " is not a name, a partial ARN (<namespace>:function:<name>) or an ARN (arn:aws:lambda:<region>:<namespace>:function:<name>)");
        }
        if (qualifier != null && qualifierParam != null && !qualifier.equals(qualifierParam)) {
            throw new IllegalArgumentException("the qualifier in FunctionName (" + qualifier + ") and Qualifier (" + qualifierParam + ") differ");
        }
        if (ns != null && !Names.isDnsLabel(ns)) {
            throw new IllegalArgumentException("the account field of " + functionName + " must be a Kubernetes namespace");
        }
        if (!Names.isDnsLabel(name)) {
            throw new IllegalArgumentException("function name " + name + " must be a DNS label (a Function's metadata.name)");
        }
        return new Named(ns, name, qualifier != null ? qualifier : qualifierParam);
    }

    public static String arn(String region, String namespace, String name) {
        return Names.functionArn(region, namespace, name);
    }
}

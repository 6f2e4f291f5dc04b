package dev.lambkin.api.v1alpha1;

/** Patterns shared by the model's validation annotations. */
public final class Names {
    /** RFC 1123 DNS label: how Kubernetes names Services and how Lambkin names referenced objects. */
    public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    /** RFC 1035 label: a Function's name becomes its Service's name, which must start with a letter. */
    public static final String DNS_1035_LABEL = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
    /** CEL rule for the root of a kind whose objects derive Kubernetes names from metadata.name. */
    public static final String NAME_IS_DNS_1035_LABEL =
            "size(self.metadata.name) <= 63 && self.metadata.name.matches('" + DNS_1035_LABEL + "')";

    /** CEL rule for the root of a kind that other objects reference by a DNS-label name. */
    public static final String NAME_IS_DNS_LABEL =
            "size(self.metadata.name) <= 63 && self.metadata.name.matches('" + DNS_LABEL + "')";

    private static final java.util.regex.Pattern DNS_LABEL_PATTERN = java.util.regex.Pattern.compile(DNS_LABEL);

    /** Whether a name is an RFC 1123 DNS label (what a namespace or a referenced object's name must be). */
    public static boolean isDnsLabel(String s) {
        return s != null && s.length() <= 63 && DNS_LABEL_PATTERN.matcher(s).matches();
    }

    /** A Function's ARN in Lambda's form: the namespace stands in the account's place. */
    public static String functionArn(String region, String namespace, String name) {
        return "arn:aws:lambda:" + region + ":" + namespace + ":function:" + name;
    }

    private Names() {
    }
}

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

    private Names() {
    }
}

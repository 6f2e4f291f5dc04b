package dev.lambkin.operator.function;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Functions, Deployments and Pods from YAML, for tests. */
final class Fixtures {
    static final KubernetesSerialization YAML = new KubernetesSerialization();

    private Fixtures() {
    }

    static dev.lambkin.api.v1alpha1.Function function(String specYaml) {
        dev.lambkin.api.v1alpha1.Function fn = YAML.unmarshal("""
                apiVersion: lambkin.dev/v1alpha1
                kind: Function
                metadata: {name: hello, namespace: team-a, generation: 4, uid: u-1}
                spec:
                """ + specYaml.indent(2), dev.lambkin.api.v1alpha1.Function.class);
        return fn;
    }

    static <T> T parse(String yaml, Class<T> type) {
        return YAML.unmarshal(yaml, type);
    }
}

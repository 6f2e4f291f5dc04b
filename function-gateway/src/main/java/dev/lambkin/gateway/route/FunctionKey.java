package dev.lambkin.gateway.route;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** A function's identity across the gateway: namespace and name. */
public record FunctionKey(String namespace, String name) {
    public static FunctionKey of(HasMetadata object) {
        return new FunctionKey(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}

package dev.lambkin.operator.status;

import java.util.Objects;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Status comparison and the object a status patch sends. */
public final class StatusPatch {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private StatusPatch() {
    }

    /** Same content, compared as JSON so every field of the status counts and nothing else does. */
    public static boolean same(Object previous, Object next) {
        if (previous == null || next == null) {
            return previous == next;
        }
        return Objects.equals(JSON.convertValue(previous, com.fasterxml.jackson.databind.JsonNode.class),
                JSON.convertValue(next, com.fasterxml.jackson.databind.JsonNode.class));
    }

    /**
     * A fresh object carrying only name, namespace and the status: the status is patched with server-side apply,
     * and the operator's field manager should own nothing but the status it sets.
     */
    public static <S, R extends CustomResource<?, S>> R of(R current, R fresh, S status) {
        fresh.setMetadata(new ObjectMetaBuilder().withName(current.getMetadata().getName())
                .withNamespace(current.getMetadata().getNamespace()).build());
        fresh.setStatus(status);
        return fresh;
    }
}

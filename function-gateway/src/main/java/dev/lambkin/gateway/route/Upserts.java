package dev.lambkin.gateway.route;

import java.util.function.Consumer;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

/** An informer handler for caches that only care whether an object is there (added or updated) or gone. */
public final class Upserts {
    private Upserts() {
    }

    public static <T> ResourceEventHandler<T> of(Consumer<T> upsert, Consumer<T> delete) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                upsert.accept(obj);
            }

            @Override
            public void onUpdate(T old, T obj) {
                upsert.accept(obj);
            }

            @Override
            public void onDelete(T obj, boolean unknownFinalState) {
                delete.accept(obj);
            }
        };
    }
}

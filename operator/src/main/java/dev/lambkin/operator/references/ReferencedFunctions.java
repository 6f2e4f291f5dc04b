package dev.lambkin.operator.references;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * For a kind that names a Function in its namespace (a Trigger's function, a queue's sink): watches Functions,
 * wakes every resource that names one when it appears or goes, and answers whether the named one exists.
 */
public final class ReferencedFunctions<P extends HasMetadata> {
    private final InformerEventSource<dev.lambkin.api.v1alpha1.Function, P> functions;
    private final Function<P, Optional<String>> reference;

    public ReferencedFunctions(EventSourceContext<P> context, Function<P, Optional<String>> reference) {
        this.reference = reference;
        String index = "byReferencedFunction";
        context.getPrimaryCache().addIndexer(index, p -> reference.apply(p)
                .map(fn -> List.of(key(p.getMetadata().getNamespace(), fn))).orElse(List.of()));
        this.functions = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(dev.lambkin.api.v1alpha1.Function.class, context.getPrimaryResourceClass())
                .withName("referenced-functions")
                .withSecondaryToPrimaryMapper(fn -> context.getPrimaryCache()
                        .byIndex(index, key(fn.getMetadata().getNamespace(), fn.getMetadata().getName()))
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
    }

    public InformerEventSource<dev.lambkin.api.v1alpha1.Function, P> eventSource() {
        return functions;
    }

    /** The Function the resource names, if it names one that does not exist. */
    public Optional<String> missing(P resource) {
        return reference.apply(resource)
                .filter(fn -> functions.get(new ResourceID(fn, resource.getMetadata().getNamespace())).isEmpty());
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}

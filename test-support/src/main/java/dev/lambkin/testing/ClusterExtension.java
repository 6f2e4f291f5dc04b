package dev.lambkin.testing;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Gives each test class a fresh namespace on a real cluster ({@link Clusters}), deletes it afterwards, and
 * prints the namespace's events and pod logs when a test fails, so a red build says what the cluster saw.
 * {@code -Dlambkin.keepNamespaces=true} keeps namespaces for a look after the run.
 */
public class ClusterExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver, TestWatcher {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(ClusterExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Clusters.Connection c = Clusters.get();
        Class<?> testClass = context.getRequiredTestClass();
        String ns = namespaceName(testClass.getSimpleName());
        Map<String, String> labels = new HashMap<>();
        labels.put("lambkin.dev/test", "true");
        WithKubernetesCluster annotation = testClass.getAnnotation(WithKubernetesCluster.class);
        if (annotation != null) {
            for (String l : annotation.namespaceLabels()) {
                String[] kv = l.split("=", 2);
                labels.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        c.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).withLabels(labels)
                .endMetadata().build()).create();
        context.getStore(STORE).put(TestCluster.class, new TestCluster(c.client(), c.kubeconfig(), ns));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestCluster cluster = context.getStore(STORE).remove(TestCluster.class, TestCluster.class);
        if (cluster != null && !Boolean.getBoolean("lambkin.keepNamespaces")) {
            cluster.client().namespaces().withName(cluster.namespace()).delete();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == TestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        TestCluster cluster = e.getStore(STORE).get(TestCluster.class, TestCluster.class);
        if (cluster == null) {
            throw new IllegalStateException("TestCluster is only available in a class annotated @WithKubernetesCluster");
        }
        return cluster;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        TestCluster cluster = context.getStore(STORE).get(TestCluster.class, TestCluster.class);
        if (cluster != null) {
            try {
                System.out.println(diagnostics(cluster.client(), cluster.namespace()));
            } catch (RuntimeException e) {
                System.out.println("[lambkin-tests] could not collect diagnostics: " + e);
            }
        }
    }

    static String namespaceName(String testClass) {
        String base = testClass.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (base.length() > 40) {
            base = base.substring(0, 40);
        }
        return "lk-" + base + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
    }

    /** Events, pod states and the last lines of every container's log in the namespace. */
    static String diagnostics(KubernetesClient client, String ns) {
        StringBuilder out = new StringBuilder("\n===== diagnostics for namespace " + ns + " =====\n-- events\n");
        client.events().v1().events().inNamespace(ns).list().getItems().stream()
                .sorted(Comparator.comparing(e -> String.valueOf(e.getMetadata().getCreationTimestamp())))
                .forEach((Event e) -> out.append(String.format("%s %s %s/%s %s: %s%n",
                        e.getMetadata().getCreationTimestamp(), e.getType(), e.getRegarding().getKind(),
                        e.getRegarding().getName(), e.getReason(), e.getNote())));
        for (Pod pod : client.pods().inNamespace(ns).list().getItems()) {
            out.append("-- pod ").append(pod.getMetadata().getName()).append(" phase=")
                    .append(pod.getStatus().getPhase()).append(' ')
                    .append(pod.getStatus().getContainerStatuses()).append('\n');
            for (var container : pod.getSpec().getContainers()) {
                try {
                    out.append("-- log ").append(pod.getMetadata().getName()).append('/').append(container.getName())
                            .append('\n').append(client.pods().inNamespace(ns).withName(pod.getMetadata().getName())
                                    .inContainer(container.getName()).tailingLines(100).getLog())
                            .append('\n');
                } catch (RuntimeException e) {
                    out.append("(no log: ").append(e.getMessage()).append(")\n");
                }
            }
        }
        return out.append("===== end of diagnostics =====").toString();
    }
}

package dev.lambkin.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a real Kubernetes API server (see {@link ClusterExtension}) in a namespace of its own.
 * Test methods and lifecycle methods take a {@link TestCluster} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ClusterExtension.class)
public @interface WithKubernetesCluster {
    /** Namespace labels, e.g. {@code pod-security.kubernetes.io/enforce=restricted}. */
    String[] namespaceLabels() default {};
}

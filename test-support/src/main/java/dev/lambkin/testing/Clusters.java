package dev.lambkin.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Finds the cluster that integration tests run on, once per JVM: the one named by {@code KUBECONFIG} when it
 * answers, otherwise k3s in a Testcontainers container (needs a Docker that can pull {@code rancher/k3s}).
 */
public final class Clusters {
    /** Override with -Dlambkin.k3s.image for another k3s release. */
    static final String K3S_IMAGE = System.getProperty("lambkin.k3s.image", "rancher/k3s:v1.34.1-k3s1");

    private static Connection connection;

    public record Connection(KubernetesClient client, Path kubeconfig, String source) {
    }

    private Clusters() {
    }

    public static synchronized Connection get() {
        if (connection == null) {
            connection = connect();
            System.out.println("[lambkin-tests] Kubernetes " + connection.client().getKubernetesVersion().getGitVersion()
                    + " from " + connection.source());
        }
        return connection;
    }

    private static Connection connect() {
        String kubeconfig = System.getenv("KUBECONFIG");
        String whyNot;
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            Path path = Path.of(kubeconfig.split(java.io.File.pathSeparator)[0]);
            try {
                KubernetesClient client = new KubernetesClientBuilder()
                        .withConfig(Config.fromKubeconfig(Files.readString(path))).build();
                client.getKubernetesVersion(); // does it answer?
                return new Connection(client, path, "KUBECONFIG=" + path);
            } catch (Exception e) {
                whyNot = "KUBECONFIG=" + kubeconfig + " does not answer (" + e.getMessage() + ")";
            }
        } else {
            whyNot = "KUBECONFIG is not set";
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("No Kubernetes cluster for the integration tests: " + whyNot
                    + ", and Docker is not available for k3s. Run hack/local-cluster.sh up and export KUBECONFIG"
                    + "=$(hack/local-cluster.sh kubeconfig | tail -1), or use hack/test.sh which does both.");
        }
        System.out.println("[lambkin-tests] " + whyNot + "; starting " + K3S_IMAGE + " with Testcontainers");
        @SuppressWarnings("resource") // lives as long as the JVM; Testcontainers stops it at exit
        K3sContainer k3s = new K3sContainer(DockerImageName.parse(K3S_IMAGE));
        k3s.start();
        try {
            Path path = Files.createTempFile("lambkin-k3s-", ".kubeconfig");
            Files.writeString(path, k3s.getKubeConfigYaml());
            KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml())).build();
            return new Connection(client, path, "k3s container " + K3S_IMAGE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the k3s kubeconfig", e);
        }
    }
}

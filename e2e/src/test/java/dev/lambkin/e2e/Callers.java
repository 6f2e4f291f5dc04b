package dev.lambkin.e2e;

import dev.lambkin.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;

/** Callers of a chart-installed gateway, the way its NOTES say: a ServiceAccount bound to a ClusterRole, and its token. */
final class Callers {
    private Callers() {
    }

    /** "Bearer <token>" of a ServiceAccount of the test namespace bound to the given ClusterRole there. */
    static String bearer(TestCluster cluster, String serviceAccount, String clusterRole) {
        String ns = cluster.namespace();
        var sa = cluster.client().serviceAccounts().inNamespace(ns).withName(serviceAccount);
        if (sa.get() == null) {
            cluster.client().serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata()
                    .withName(serviceAccount).endMetadata().build()).create();
        }
        cluster.client().rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata()
                .withName(serviceAccount + "-" + clusterRole).endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
                .withKind("ClusterRole").withName(clusterRole).endRoleRef().addNewSubject().withKind("ServiceAccount")
                .withName(serviceAccount).withNamespace(ns).endSubject().build()).serverSideApply();
        return "Bearer " + sa.tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
    }

    /** An access key Secret standing for the ServiceAccount (as README's "Calling Lambkin with the AWS SDK or CLI" writes one). */
    static void accessKey(TestCluster cluster, String serviceAccount, String keyId, String secretKey) {
        cluster.client().secrets().inNamespace(cluster.namespace()).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName(serviceAccount + "-key").addToLabels("lambkin.dev/access-key", "true")
                .addToAnnotations("lambkin.dev/service-account", serviceAccount).endMetadata()
                .addToStringData("accessKeyId", keyId).addToStringData("secretAccessKey", secretKey).build()).create();
    }
}

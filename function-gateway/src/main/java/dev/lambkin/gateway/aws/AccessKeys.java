package dev.lambkin.gateway.aws;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import dev.lambkin.gateway.GatewayConfig;
import dev.lambkin.gateway.auth.Access;
import dev.lambkin.gateway.auth.KubernetesAccess;
import dev.lambkin.gateway.route.Upserts;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The access keys SigV4 requests are signed with: Secrets labelled {@code lambkin.dev/access-key: "true"} with
 * {@code accessKeyId} and {@code secretAccessKey}, each standing for the ServiceAccount its annotation
 * {@code lambkin.dev/service-account} names in the Secret's namespace. Only such Secrets are watched; a secret key
 * never leaves this class but as the HMAC key, and never reaches a log.
 */
@ApplicationScoped
public class AccessKeys {
    public static final String LABEL = "lambkin.dev/access-key";
    public static final String SERVICE_ACCOUNT = "lambkin.dev/service-account";
    private static final Logger LOG = Logger.getLogger(AccessKeys.class);

    /** A key: who it stands for, and its secret. */
    record Key(Access.Identity identity, String secret) {
        @Override
        public String toString() {
            return "Key[" + identity.username() + "]"; // the secret stays out of every log line
        }
    }

    /** Secret (namespace/name) → the key it holds, as read. */
    private final Map<String, Held> bySecret = new ConcurrentHashMap<>();
    /** Key id → its key, while exactly one Secret holds that id (two claiming one id: neither is trusted). */
    private final Map<String, Key> byId = new ConcurrentHashMap<>();

    private record Held(String id, Key key) {
    }

    private final KubernetesClient client;
    private final boolean enabled;
    private SharedIndexInformer<Secret> informer;

    @jakarta.inject.Inject
    public AccessKeys(KubernetesClient client, KubernetesAccess access, GatewayConfig config) {
        this(client, access.enabled() && config.aws().accessKeys());
    }

    AccessKeys(KubernetesClient client, boolean enabled) {
        this.client = client;
        this.enabled = enabled;
    }

    /**
     * Watches the labelled Secrets only when invocation needs permission and keys are on (no Secret is read
     * otherwise); at start-up, since the first sync blocks and must not run on an event loop.
     */
    void start(@Observes StartupEvent e) {
        if (enabled) {
            informer = client.secrets().inAnyNamespace().withLabel(LABEL, "true").inform(Upserts.of(this::put, this::remove), 0);
        }
    }

    Key get(String accessKeyId) {
        return byId.get(accessKeyId);
    }

    synchronized void put(Secret s) {
        String ref = s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
        Held before = bySecret.remove(ref);
        String ns = s.getMetadata().getNamespace();
        String account = s.getMetadata().getAnnotations() == null ? null : s.getMetadata().getAnnotations().get(SERVICE_ACCOUNT);
        String id = value(s, "accessKeyId"), secret = value(s, "secretAccessKey");
        if (account == null || id == null || secret == null || id.isBlank() || secret.isBlank()) {
            LOG.warnf("access key Secret %s ignored: it needs the annotation %s and the keys accessKeyId and secretAccessKey", ref,
                    SERVICE_ACCOUNT);
        } else {
            String user = "system:serviceaccount:" + ns + ":" + account;
            bySecret.put(ref, new Held(id, new Key(new Access.Identity(user, "", List.of("system:serviceaccounts",
                    "system:serviceaccounts:" + ns, "system:authenticated"), Map.of()), secret)));
            recompute(id);
        }
        if (before != null) {
            recompute(before.id());
        }
    }

    synchronized void remove(Secret s) {
        Held before = bySecret.remove(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName());
        if (before != null) {
            recompute(before.id());
        }
    }

    /** The key of an id from the Secrets that hold it now: trusted only while exactly one does. */
    private void recompute(String id) {
        List<Map.Entry<String, Held>> holders = bySecret.entrySet().stream().filter(e -> e.getValue().id().equals(id)).toList();
        if (holders.size() == 1) {
            byId.put(id, holders.getFirst().getValue().key());
        } else {
            byId.remove(id);
            if (holders.size() > 1) {
                LOG.warnf("access key id held by %d Secrets (%s): refused until only one holds it", holders.size(),
                        holders.stream().map(Map.Entry::getKey).toList());
            }
        }
    }

    private static String value(Secret s, String key) {
        if (s.getData() != null && s.getData().get(key) != null) {
            return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8).strip();
        }
        return s.getStringData() == null ? null : s.getStringData().get(key);
    }

    @PreDestroy
    void close() {
        if (informer != null) {
            informer.close();
        }
    }
}

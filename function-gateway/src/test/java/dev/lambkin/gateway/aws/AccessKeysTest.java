package dev.lambkin.gateway.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

/** Which Secret a key id is trusted from: exactly one holder, whatever the order of adds, updates and deletes. */
class AccessKeysTest {
    static Secret key(String ns, String name, String account, String id, String secret) {
        return new SecretBuilder().withNewMetadata().withNamespace(ns).withName(name).addToLabels(AccessKeys.LABEL, "true")
                .addToAnnotations(AccessKeys.SERVICE_ACCOUNT, account).endMetadata()
                .addToStringData("accessKeyId", id).addToStringData("secretAccessKey", secret).build();
    }

    @Test
    void aKeyStandsForItsServiceAccount() {
        AccessKeys keys = new AccessKeys(null, false);
        keys.put(key("team-a", "ci", "deployer", "AKIA1", "s1"));
        assertEquals("system:serviceaccount:team-a:deployer", keys.get("AKIA1").identity().username());
        assertEquals("s1", keys.get("AKIA1").secret());
        assertEquals("Key[system:serviceaccount:team-a:deployer]", keys.get("AKIA1").toString(), "no secret in a log line");
    }

    @Test
    void anIdClaimedTwiceIsRefusedUntilOneHolderIsLeft() {
        AccessKeys keys = new AccessKeys(null, false);
        keys.put(key("team-a", "old", "deployer", "AKIA1", "s1"));
        keys.put(key("team-b", "thief", "intruder", "AKIA1", "s2"));
        assertNull(keys.get("AKIA1"), "two holders: neither is trusted");
        keys.put(key("team-b", "thief", "intruder", "AKIA1", "s3")); // an update of one of them changes nothing
        assertNull(keys.get("AKIA1"));
        keys.remove(key("team-b", "thief", "intruder", "AKIA1", "s3"));
        assertEquals("s1", keys.get("AKIA1").secret(), "the one left is trusted again");
        // rotation: the new Secret first, then the old one goes
        keys.put(key("team-a", "new", "deployer", "AKIA1", "s4"));
        keys.remove(key("team-a", "old", "deployer", "AKIA1", "s1"));
        assertEquals("s4", keys.get("AKIA1").secret());
        // a Secret that changes its id gives the old one up
        keys.put(key("team-a", "new", "deployer", "AKIA2", "s5"));
        assertNull(keys.get("AKIA1"));
        assertEquals("s5", keys.get("AKIA2").secret());
    }
}

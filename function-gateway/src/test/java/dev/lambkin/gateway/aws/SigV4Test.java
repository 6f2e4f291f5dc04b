package dev.lambkin.gateway.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vertx.core.MultiMap;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** The verifier against the AWS SDK's own SigV4 signer: what the SDK signs is verified, anything else is not. */
class SigV4Test {
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final String ID = "AKIALAMBKINTEST0001", SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String URL = "http://gateway.lambkin-system:8080/2015-03-31/functions/"
            + "arn%3Aaws%3Alambda%3Aus-east-1%3Ateam-a%3Afunction%3Ahello/invocations?Qualifier=%24LATEST";

    /** The request as the SDK would send it: its headers after signing. */
    static MultiMap signed(String url, String body, String secret, Instant at) {
        var request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(URI.create(url))
                .putHeader("Content-Type", "application/json").putHeader("X-Amz-Invocation-Type", "RequestResponse").build();
        var signedRequest = AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create(ID, secret))
                .request(request).payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda").putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        signedRequest.request().headers().forEach((k, v) -> v.forEach(x -> headers.add(k, x)));
        if (!headers.contains("Host")) {
            headers.add("Host", URI.create(url).getAuthority()); // the HTTP client sends what was signed
        }
        return headers;
    }

    static SigV4.Result verify(String url, MultiMap headers, String body, Map<String, String> keys, Instant now) {
        URI u = URI.create(url);
        return SigV4.verify("POST", u.getRawPath(), u.getRawQuery(), headers, body.getBytes(StandardCharsets.UTF_8), keys::get, now);
    }

    @Test
    void whatTheSdkSignsIsVerified() {
        String body = "{\"name\": \"Ada\"}";
        MultiMap headers = signed(URL, body, SECRET, NOW);
        assertTrue(SigV4.claimed(headers.get("Authorization")));
        assertEquals(new SigV4.Verified(ID), verify(URL, headers, body, Map.of(ID, SECRET), NOW.plusSeconds(30)));
        String plain = "http://127.0.0.1:8080/2015-03-31/functions/hello/invocations";
        assertEquals(new SigV4.Verified(ID), verify(plain, signed(plain, "", SECRET, NOW), "", Map.of(ID, SECRET), NOW));
    }

    @Test
    void anotherSecretAChangedBodyOrAChangedHeaderIsABadSignature() {
        String body = "{\"name\": \"Ada\"}";
        assertInstanceOf(SigV4.BadSignature.class, verify(URL, signed(URL, body, "not-the-secret", NOW), body, Map.of(ID, SECRET), NOW));
        assertInstanceOf(SigV4.BadSignature.class, verify(URL, signed(URL, body, SECRET, NOW), "{\"name\": \"Eve\"}", Map.of(ID, SECRET), NOW));
        MultiMap headers = signed(URL, body, SECRET, NOW);
        headers.set("X-Amz-Invocation-Type", "Event");
        assertInstanceOf(SigV4.BadSignature.class, verify(URL, headers, body, Map.of(ID, SECRET), NOW), "a signed header changed");
        MultiMap added = signed(URL, body, SECRET, NOW);
        added.add("X-Amz-Log-Type", "Tail"); // a replayer asking for the function's logs
        assertInstanceOf(SigV4.BadSignature.class, verify(URL, added, body, Map.of(ID, SECRET), NOW), "an unsigned x-amz header");
        String otherFunction = URL.replace("hello", "other");
        assertInstanceOf(SigV4.BadSignature.class, verify(otherFunction, signed(URL, body, SECRET, NOW), body, Map.of(ID, SECRET), NOW));
    }

    @Test
    void anUnknownKeyIsUnknownAndAnOldSignatureExpired() {
        MultiMap headers = signed(URL, "{}", SECRET, NOW);
        assertEquals(new SigV4.UnknownKey(ID), verify(URL, headers, "{}", Map.of(), NOW));
        SigV4.Result old = verify(URL, headers, "{}", Map.of(ID, SECRET), NOW.plus(Duration.ofMinutes(16)));
        assertTrue(assertInstanceOf(SigV4.BadSignature.class, old).message().startsWith("Signature expired"), old.toString());
        assertInstanceOf(SigV4.BadSignature.class, verify(URL, headers, "{}", Map.of(ID, SECRET), NOW.minus(Duration.ofMinutes(16))));
    }

    @Test
    void aBearerTokenIsNotSigV4AndAHalfSignatureIsMalformed() {
        assertFalse(SigV4.claimed("Bearer abc"));
        assertFalse(SigV4.claimed(null));
        MultiMap headers = signed(URL, "{}", SECRET, NOW);
        headers.set("Authorization", "AWS4-HMAC-SHA256 Credential=" + ID + "/20261201/us-east-1/lambda/aws4_request");
        assertInstanceOf(SigV4.Malformed.class, verify(URL, headers, "{}", Map.of(ID, SECRET), NOW));
        URI u = URI.create(URL);
        assertInstanceOf(SigV4.Malformed.class, SigV4.verify("POST", u.getRawPath(), u.getRawQuery() + "&x=%zz",
                signed(URL, "{}", SECRET, NOW), "{}".getBytes(StandardCharsets.UTF_8), Map.of(ID, SECRET)::get, NOW), "not a 500");
    }
}

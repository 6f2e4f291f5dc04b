package dev.lambkin.gateway.aws;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.vertx.core.MultiMap;

/**
 * Verifies AWS Signature Version 4 on a request, as AWS's services do for the {@code lambda} service: the
 * canonical request (method, URI encoded once more as non-S3 services sign it, sorted query, signed headers, the
 * payload's SHA-256), the string to sign with the credential scope, and the HMAC chain from the secret key. The
 * request time must be within 15 minutes of now. Plain Java.
 */
public final class SigV4 {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "^AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request\\s*,\\s*"
                    + "SignedHeaders=([a-z0-9;.\\-_]+)\\s*,\\s*Signature=([0-9a-f]{64})\\s*$");

    /** What the check found. */
    public sealed interface Result {
    }

    /** Signed with the secret of this access key. */
    public record Verified(String accessKeyId) implements Result {
    }

    /** The Authorization header is not a SigV4 one AWS would read. */
    public record Malformed(String message) implements Result {
    }

    /** No such access key. */
    public record UnknownKey(String accessKeyId) implements Result {
    }

    /** The signature does not match, or the request is too old or too new. */
    public record BadSignature(String message) implements Result {
    }

    private SigV4() {
    }

    /** Whether a request claims SigV4 (so it is judged here, not as a bearer token). */
    public static boolean claimed(String authorization) {
        return authorization != null && authorization.startsWith(ALGORITHM + " ");
    }

    /**
     * @param rawPath  the path as the client sent it (still percent-encoded)
     * @param rawQuery the query as sent, or null
     * @param secrets  an access key id's secret key, or null when there is no such key
     */
    public static Result verify(String method, String rawPath, String rawQuery, MultiMap headers, byte[] body,
            Function<String, String> secrets, Instant now) {
        String authorization = headers.get("Authorization");
        Matcher m = AUTHORIZATION.matcher(authorization == null ? "" : authorization.strip());
        if (!m.matches()) {
            return new Malformed("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' in AWS4-HMAC-SHA256 form");
        }
        String keyId = m.group(1), date = m.group(2), region = m.group(3), service = m.group(4);
        List<String> signed = Arrays.asList(m.group(5).split(";"));
        String signature = m.group(6);
        if (!"lambda".equals(service)) {
            return new BadSignature("Credential should be scoped to correct service: 'lambda'");
        }
        if (!signed.contains("host")) {
            return new BadSignature("the signed headers must include host");
        }
        String amzDate = headers.get("X-Amz-Date");
        Instant at;
        try {
            at = LocalDateTime.parse(amzDate == null ? "" : amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return new BadSignature("the request needs X-Amz-Date in the form yyyyMMdd'T'HHmmss'Z'");
        }
        if (!amzDate.startsWith(date)) {
            return new BadSignature("Credential should be scoped to a valid date: " + amzDate.substring(0, 8));
        }
        if (Duration.between(at, now).abs().compareTo(MAX_SKEW) > 0) {
            return new BadSignature("Signature expired: " + amzDate + " is not within 15 minutes of the server's time "
                    + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)));
        }
        String secret = secrets.apply(keyId);
        if (secret == null) {
            return new UnknownKey(keyId);
        }
        for (String name : headers.names()) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.startsWith("x-amz-") && !signed.contains(n)) {
                return new BadSignature("header " + n + " is not signed: every x-amz-* header must be in SignedHeaders");
            }
        }
        String canonical;
        try {
            canonical = canonicalRequest(method, rawPath, rawQuery, headers, signed, body);
        } catch (IllegalArgumentException badEncoding) {
            return new Malformed("the query string is not valid percent-encoding");
        }
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String toSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        byte[] expected = hmac(key, toSign);
        if (!MessageDigest.isEqual(expected, HexFormat.of().parseHex(signature))) {
            return new BadSignature("The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method.");
        }
        return new Verified(keyId);
    }

    static String canonicalRequest(String method, String rawPath, String rawQuery, MultiMap headers, List<String> signed,
            byte[] body) {
        StringBuilder c = new StringBuilder(method).append('\n');
        c.append(encode(rawPath == null || rawPath.isEmpty() ? "/" : rawPath, false)).append('\n');
        c.append(canonicalQuery(rawQuery)).append('\n');
        for (String name : signed) {
            List<String> values = headers.getAll(name);
            c.append(name).append(':').append(String.join(",", values.stream().map(v -> v.strip().replaceAll("\\s+", " ")).toList()))
                    .append('\n');
        }
        c.append('\n').append(String.join(";", signed)).append('\n');
        c.append(hex(sha256(body)));
        return c.toString();
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> params = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq)), v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(encode(k, true), x -> new ArrayList<>()).add(encode(v, true));
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            e.getValue().stream().sorted().forEach(v -> out.add(e.getKey() + "=" + v));
        }
        return String.join("&", out);
    }

    /** RFC 3986 percent-encoding of everything but unreserved characters (and '/' in a path). */
    static String encode(String s, boolean slash) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            char ch = (char) (x & 0xff);
            if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'
                    || ch == '.' || ch == '~' || (ch == '/' && !slash)) {
                b.append(ch);
            } else {
                b.append('%').append(String.format(Locale.ROOT, "%02X", x & 0xff));
            }
        }
        return b.toString();
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}

package dev.lambkin.gateway.auth;

import java.util.List;
import java.util.Map;

/** Whether a request may do what it asks, and if not why. */
public sealed interface Access {
    /** Who the caller is, as the API server's TokenReview said. */
    record Identity(String username, String uid, List<String> groups, Map<String, List<String>> extra) {
    }

    record Allowed(Identity who) implements Access {
    }

    /** No token, a malformed one, or one the API server does not accept: 401. */
    record Unauthenticated(String message) implements Access {
    }

    /** A known identity without the permission: 403. */
    record Forbidden(String message) implements Access {
    }

    /** The API server could not answer in time: 503, never a guess. */
    record Unavailable(String message) implements Access {
    }
}

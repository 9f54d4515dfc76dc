package io.rebound.it;

import java.time.Duration;

/** One HTTP exchange as a client saw it: status, body and how long it took. */
record HttpAnswer(int status, String body, Duration took) {
    boolean isOk() {
        return status == 200;
    }

    /** The backend that answered, from Apache's "This is apacheN" page; the body itself for anything else. */
    String servedBy() {
        String trimmed = body.strip();
        return trimmed.startsWith("This is ") ? trimmed.substring("This is ".length()) : trimmed;
    }
}

package io.rebound.supervisor;

import java.util.Objects;

/**
 * How a reload ended: {@link Result#RELOADED} (a new proxy with the new configuration serves, the old one drains),
 * {@link Result#INVALID_CONFIG} (refused before anything started: the old proxy keeps serving),
 * {@link Result#REFUSED} (not possible now or in this setup) or {@link Result#FAILED} (the new proxy did not get
 * ready: the old one keeps serving). {@code message} says what happened, for the log and the operator.
 */
public record ReloadOutcome(Result result, String message) {

    /** The kinds of outcome. */
    public enum Result {
        RELOADED, INVALID_CONFIG, REFUSED, FAILED
    }

    public ReloadOutcome {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(message, "message");
    }

    public static ReloadOutcome reloaded(String message) {
        return new ReloadOutcome(Result.RELOADED, message);
    }

    public static ReloadOutcome invalidConfig(String message) {
        return new ReloadOutcome(Result.INVALID_CONFIG, message);
    }

    public static ReloadOutcome refused(String message) {
        return new ReloadOutcome(Result.REFUSED, message);
    }

    public static ReloadOutcome failed(String message) {
        return new ReloadOutcome(Result.FAILED, message);
    }
}

package io.rebound.supervisor.history;

import java.util.Locale;
import java.util.Objects;

/**
 * A restart or a reload, for the status page's timeline.
 *
 * @param epochMillis when the supervisor decided it (a restart) or knew its outcome (a reload)
 * @param kind restart or reload
 * @param outcome a restart's reason (exit-code, signal, liveness, not-ready) or a reload's result (reloaded,
 *     invalid-config, refused, failed)
 * @param detail what happened, as the log line says it
 */
public record SupervisorEvent(long epochMillis, Kind kind, String outcome, String detail) {

    /** The kinds of event on the timeline. */
    public enum Kind {
        RESTART, RELOAD;

        /** "restart" or "reload". */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SupervisorEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
    }
}

package io.rebound.supervisor;

import java.util.Objects;

/**
 * Whether the children serve the supervisor's listening socket ({@code shared}: connections wait in its backlog while
 * a proxy restarts, none is refused) or each binds {@code rebound.bind} itself (connections are refused while none
 * runs), why, and in words for the operator.
 */
public record ListenerMode(boolean shared, Cause cause, String detail) {

    /** Why the socket is shared or not: the {@code cause} label of {@code rebound_supervisor_listener_shared}. */
    public enum Cause {
        /** The supervisor was started with the socket on its standard input (systemd socket activation). */
        SOCKET_ACTIVATION("socket-activation"),
        /** The supervisor bound rebound.bind and passes the socket to every proxy. */
        SUPERVISOR_BOUND("supervisor-bound"),
        /** {@code rebound.supervisor.share-listener = off}. */
        SHARE_LISTENER_OFF("share-listener-off"),
        /** This JVM does not let the supervisor pass a socket (no {@code --add-opens java.base/sun.nio.ch}). */
        JVM_REFUSED("jvm-refused");

        private final String label;

        Cause(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public ListenerMode {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(detail, "detail");
    }

    /** What the children's standard input says, when nothing more is known. */
    static ListenerMode of(ChildInput input) {
        return input == ChildInput.SHARED_LISTENER
                ? new ListenerMode(true, Cause.SUPERVISOR_BOUND, "the supervisor's listening socket")
                : new ListenerMode(false, Cause.SHARE_LISTENER_OFF, "rebound.supervisor.share-listener = off");
    }

    /** {@code shared} or {@code not shared}. */
    public String word() {
        return shared ? "shared" : "not shared";
    }
}

package io.rebound.supervisor;

import java.util.Locale;

/** Why the child was restarted: the {@code reason} label of {@code rebound_supervisor_restarts_total}. */
public enum RestartReason {
    /** The child exited by itself with an exit code. */
    EXIT_CODE,
    /** The child was killed by a signal the supervisor did not send (kill -9 by an operator, a crash). */
    SIGNAL,
    /** The supervisor killed it after failed {@code /health/live} probes. */
    LIVENESS,
    /** The supervisor killed it because it did not get ready (nor started) within the start timeout. */
    NOT_READY;

    /** The label value: {@code exit-code}, {@code signal}, {@code liveness}, {@code not-ready}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static RestartReason of(ChildExit exit) {
        return exit.bySignal() ? SIGNAL : EXIT_CODE;
    }
}

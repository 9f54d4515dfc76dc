package io.rebound.supervisor;

import java.util.Optional;

/**
 * The place of the warm standby ({@code rebound.supervisor.standby = 1}): empty, holding a child, or empty with a new
 * standby due after a restart delay.
 */
final class StandbySlot {
    private final boolean wanted;
    private ChildLifecycle child;
    private boolean restartPending;

    StandbySlot(boolean wanted) {
        this.wanted = wanted;
    }

    /** Whether a standby should be launched now: one is wanted, none is here, and none is due later. */
    boolean needsLaunch() {
        return wanted && child == null && !restartPending;
    }

    void hold(ChildLifecycle standby) {
        child = standby;
    }

    Optional<ChildLifecycle> child() {
        return Optional.ofNullable(child);
    }

    /** Whether a standby is here and serving. */
    boolean running() {
        return child != null && child.running();
    }

    /** Empties the slot; the child, if there was one, is the caller's now. */
    Optional<ChildLifecycle> take() {
        Optional<ChildLifecycle> taken = Optional.ofNullable(child);
        child = null;
        return taken;
    }

    /** A new standby is due once the delay passes ({@link #restartDue()}). */
    void restartAfterDelay() {
        restartPending = true;
    }

    void restartDue() {
        restartPending = false;
    }
}

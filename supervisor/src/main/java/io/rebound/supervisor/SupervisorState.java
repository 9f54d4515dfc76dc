package io.rebound.supervisor;

/**
 * The states of the supervisor's one child, each with the phrase {@code systemctl status} would print for it
 * ({@code rebound status} prints it on its {@code Active:} line).
 */
public enum SupervisorState {
    /** A child was launched; waiting for its /health/ready within the start timeout. */
    STARTING("activating (start)"),
    /** The child is ready (or started) and its /health/live is probed. */
    RUNNING("active (running)"),
    /**
     * A reload: the running child serves while a new one with the new configuration starts on the same socket; once
     * that one is ready the old one drains and the state is {@link #RUNNING} again.
     */
    RELOADING("reloading (reload)"),
    /** The supervisor sent SIGKILL (liveness failed, or not ready in time) and waits for the child to end. */
    KILLING("deactivating (stop-sigkill)"),
    /** The child ended; a new one starts after the restart delay. */
    BACKOFF("activating (auto-restart)"),
    /** A graceful stop: SIGTERM sent, SIGKILL after the stop timeout. */
    STOPPING("deactivating (stop-sigterm)"),
    /** No child, none expected: before the start, after a stop, or after a clean exit not restarted by the policy. */
    STOPPED("inactive (dead)"),
    /** No child: it failed and is not restarted (an exit code in restart-prevent-exit-status, or restart = no). */
    FATAL("failed");

    private final String activeState;

    SupervisorState(String activeState) {
        this.activeState = activeState;
    }

    /** The systemd-style phrase: {@code active (running)}, {@code activating (auto-restart)}, {@code failed}... */
    public String activeState() {
        return activeState;
    }
}

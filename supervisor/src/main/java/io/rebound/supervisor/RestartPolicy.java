package io.rebound.supervisor;

/** When the supervisor starts the child again after it ended ({@code rebound.supervisor.restart}), as systemd's Restart=. */
public enum RestartPolicy {
    /** After any end of the child, also a clean exit 0. */
    ALWAYS,
    /** After a non-zero exit, a death by signal or a kill by the supervisor; not after exit 0. */
    ON_FAILURE,
    /** Never. */
    NO
}

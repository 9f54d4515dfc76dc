package io.rebound.supervisor;

/** What a child's standard input is, and so how the child notices that the supervisor is gone. */
public enum ChildInput {
    /** A pipe the supervisor holds open and never writes: its end-of-file tells the child that the supervisor died. */
    PIPE,
    /**
     * The supervisor's own standard input, where it keeps the traffic listening socket ({@link SharedListener}): the
     * child serves that socket and watches the supervisor through its parent process id.
     */
    SHARED_LISTENER
}

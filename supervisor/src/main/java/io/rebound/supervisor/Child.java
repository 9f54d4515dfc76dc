package io.rebound.supervisor;

import io.rebound.config.HostPort;
import java.util.concurrent.CompletableFuture;

/**
 * One proxy process as the supervisor sees it: where its health endpoints answer, when it started, the two signals it
 * can be sent and its end. {@link ChildProcess} is the real one; tests drive the supervisor's transitions with fakes.
 */
interface Child {

    long pid();

    /** Where its health endpoints answer. */
    HostPort admin();

    /** The supervisor's monotonic clock at launch (see {@link EventLoop#nanoTime()}). */
    long startedNanos();

    /** Wall-clock launch time, for display. */
    long startedEpochMillis();

    /** Completes when the process has ended (and was reaped). */
    CompletableFuture<ChildExit> exit();

    /** SIGTERM: the proxy stops accepting, drains and exits 0. */
    void terminate();

    /** SIGKILL. */
    void kill();
}

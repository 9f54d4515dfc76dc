package io.rebound.supervisor;

import io.rebound.config.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A proxy child without a process, for transition tests: it answers its health questions as the test sets
 * ({@link #health}, {@link #live}), records the signals it is sent, and ends when the test says (at SIGKILL unless
 * {@link #slowToDie}, and at SIGTERM unless {@link #ignoresSigterm}).
 */
final class FakeChild implements Child {
    /** What /health/ready and /health/started answer. */
    enum Health {
        /** Started, and a server is up: both 200. */
        READY,
        /** Started, no server is up: /health/started 200, /health/ready 503. */
        STARTED_NO_SERVER_UP,
        /** Not started: both fail. */
        NOT_STARTED
    }

    private final long pid;
    private final HostPort admin;
    private final long startedNanos;
    private final boolean besideAnother;
    private final CompletableFuture<ChildExit> exit = new CompletableFuture<>();
    private final List<String> signals = new ArrayList<>();
    volatile Health health;
    volatile boolean live = true;
    volatile boolean ignoresSigterm;
    /** Stays after SIGKILL until the test ends it, as a process stuck in the kernel. */
    volatile boolean slowToDie;

    FakeChild(long pid, long startedNanos, Health health, boolean besideAnother) {
        this.pid = pid;
        this.admin = new HostPort("127.0.0.1", (int) (20000 + pid % 10000));
        this.startedNanos = startedNanos;
        this.health = health;
        this.besideAnother = besideAnother;
    }

    /** The process ends by itself with {@code exitValue} (128 + N: killed by signal N). */
    void ends(int exitValue) {
        exit.complete(new ChildExit(pid, exitValue, 0));
    }

    boolean alive() {
        return !exit.isDone();
    }

    List<String> signals() {
        return List.copyOf(signals);
    }

    /** Whether it was started with an interim admin address, another child holding the configured one. */
    boolean besideAnother() {
        return besideAnother;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public HostPort admin() {
        return admin;
    }

    @Override
    public long startedNanos() {
        return startedNanos;
    }

    @Override
    public long startedEpochMillis() {
        return startedNanos / 1_000_000;
    }

    @Override
    public CompletableFuture<ChildExit> exit() {
        return exit;
    }

    @Override
    public void terminate() {
        signals.add("TERM");
        if (!ignoresSigterm) {
            ends(0);
        }
    }

    @Override
    public void kill() {
        signals.add("KILL");
        if (!slowToDie) {
            ends(128 + 9);
        }
    }

    @Override
    public String toString() {
        return "fake child " + pid;
    }
}

package io.rebound.supervisor;

import io.rebound.config.ConfigFiles;
import io.rebound.config.HostPort;
import io.rebound.supervisor.FakeChild.Health;
import io.rebound.supervisor.ListenerMode.Cause;
import io.rebound.supervisor.history.SupervisorEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Supervisor} over fake children, fake probes and a {@link ManualEventLoop}: every transition can be driven
 * and looked at from a test, in virtual time. Timings: start-timeout 3s, liveness every 1s (3 failures), restart
 * delay 100ms, stop-timeout 5s, unless the overrides say otherwise.
 */
final class SupervisorRig implements ChildLauncher, Prober {
    private static final String TIMINGS = String.join("\n",
            "rebound.admin.bind = \"127.0.0.1:9999\"",
            "rebound.drain-timeout = 1s",
            "rebound.supervisor {",
            "  restart-delay = 100ms",
            "  start-timeout = 3s",
            "  stop-timeout = 5s",
            "  liveness { interval = 1s, timeout = 500ms, failures = 3 }",
            "}");

    private final List<FakeChild> children = new ArrayList<>();
    private final Supervisor supervisor;
    private ManualEventLoop loop;
    private boolean sharesListener = true;
    private int failingLaunches;
    /** How children launched from now on answer. */
    Health nextChildren = Health.READY;

    private SupervisorRig(String overrides) {
        SupervisorSettings settings = SupervisorSettings.read(ConfigFiles.parse(TIMINGS + "\n" + overrides, "test"));
        supervisor = new Supervisor(settings, this, this, handler -> loop = new ManualEventLoop(handler),
                new ListenerMode(true, Cause.SUPERVISOR_BOUND, "fake"));
    }

    /** A started supervisor whose first child is launched (not yet running). */
    static SupervisorRig started(String overrides) {
        SupervisorRig rig = new SupervisorRig(overrides);
        rig.supervisor.start();
        rig.loop.runDue();
        return rig;
    }

    /** Children that cannot share the listening socket (each binds rebound.bind itself). */
    SupervisorRig notSharingTheListener() {
        sharesListener = false;
        return this;
    }

    /** The next {@code count} launches fail as a program that cannot be executed. */
    void failLaunches(int count) {
        failingLaunches = count;
    }

    void advance(Duration duration) {
        loop.advance(duration);
    }

    void advanceMillis(long millis) {
        advance(Duration.ofMillis(millis));
    }

    CompletableFuture<ReloadOutcome> reload() {
        CompletableFuture<ReloadOutcome> outcome = supervisor.reload("test reload");
        loop.runDue();
        return outcome;
    }

    CompletableFuture<Void> stop() {
        CompletableFuture<Void> stopped = supervisor.stop("test stop");
        loop.runDue();
        return stopped;
    }

    SupervisorStatus status() {
        return supervisor.status();
    }

    List<SupervisorEvent> events() {
        return supervisor.events().all();
    }

    SupervisorState state() {
        return supervisor.status().state();
    }

    /** The {@code n}th child launched, from 0. */
    FakeChild child(int n) {
        return children.get(n);
    }

    int launched() {
        return children.size();
    }

    FakeChild last() {
        return children.get(children.size() - 1);
    }

    /** The child the status calls the main one. */
    FakeChild main() {
        long pid = status().childPid().orElseThrow();
        return children.stream().filter(child -> child.pid() == pid).findFirst().orElseThrow();
    }

    long restarts() {
        return status().restartsTotal();
    }

    @Override
    public Child launch(boolean besideAnother) throws IOException {
        if (failingLaunches > 0) {
            failingLaunches--;
            throw new IOException("Cannot run program \"java\": error=2, No such file or directory");
        }
        FakeChild child = new FakeChild(1000 + children.size(), loop.nanoTime(), nextChildren, besideAnother);
        children.add(child);
        return child;
    }

    @Override
    public boolean sharesListener() {
        return sharesListener;
    }

    @Override
    public CompletableFuture<Outcome> ask(HostPort admin, Probe probe, Duration timeout) {
        FakeChild child = children.stream().filter(c -> c.admin().equals(admin)).findFirst().orElseThrow();
        boolean passed = child.alive() && switch (probe) {
            case READY -> child.health == Health.READY;
            case STARTED -> child.health != Health.NOT_STARTED;
            case LIVE -> child.live;
        };
        return CompletableFuture.completedFuture(new Outcome(passed, probe.path() + ": " + (passed ? 200 : 503)));
    }
}

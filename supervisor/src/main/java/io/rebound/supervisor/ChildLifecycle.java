package io.rebound.supervisor;

import io.rebound.config.ConfigText;
import io.rebound.supervisor.Event.ChildEnded;
import io.rebound.supervisor.Event.ChildExited;
import io.rebound.supervisor.Event.ChildKilled;
import io.rebound.supervisor.Event.ChildProbe;
import io.rebound.supervisor.Event.ChildRunning;
import io.rebound.supervisor.Event.ChildTimer;
import io.rebound.supervisor.Event.Timer;
import io.rebound.supervisor.Prober.Outcome;
import io.rebound.supervisor.Prober.Probe;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxy process from launch to end, whatever its {@link Role}: the main proxy, a reload's new proxy and the standby
 * follow the same rules.
 *
 * <pre>
 * phase     event                       next      tells the coordinator
 * STARTING  READY_POLL                  STARTING  -          (asks /health/ready)
 * STARTING  /health/ready 200           RUNNING   running    (ready)
 * STARTING  /health/ready other         STARTING  -          (asks again after the poll interval)
 * STARTING  START_TIMEOUT               STARTING  -          (asks /health/started)
 * STARTING  /health/started 200         RUNNING   running    (started; no server is up yet)
 * STARTING  /health/started other       KILLING   killed     (not-ready)
 * RUNNING   LIVENESS_POLL               RUNNING   -          (asks /health/live)
 * RUNNING   /health/live 200            RUNNING   -
 * RUNNING   /health/live other          RUNNING   -          (until liveness.failures in a row, then:)
 *                                       KILLING   killed     (liveness)
 * DRAINING  DRAIN_OVERDUE               KILLING   -          (SIGKILL: still running stop-timeout after SIGTERM)
 * any       the process ended           ENDED     ended
 * </pre>
 * The coordinator moves a child to DRAINING ({@link #terminate}) or KILLING ({@link #kill}). Timers and probes carry
 * the step (the number of phase changes) they were made in; those of an earlier step are ignored.
 */
final class ChildLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ChildLifecycle.class);

    /** Where a child is in its life. */
    enum Phase {
        STARTING, RUNNING, DRAINING, KILLING, ENDED
    }

    private final long launch;
    private final Child child;
    private final ChildTimings timings;
    private final EventLoop loop;
    private final Prober prober;
    private Role role;
    private Phase phase = Phase.STARTING;
    private long step;
    private boolean ready;
    private int livenessFailures;
    private RestartReason killReason;
    private ChildExit exit;

    private ChildLifecycle(long launch, Child child, Role role, ChildTimings timings, EventLoop loop, Prober prober) {
        this.launch = launch;
        this.child = Objects.requireNonNull(child, "child");
        this.role = Objects.requireNonNull(role, "role");
        this.timings = Objects.requireNonNull(timings, "timings");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.prober = Objects.requireNonNull(prober, "prober");
    }

    /** Follows {@code child}, just launched as launch number {@code launch}, from now on. */
    static ChildLifecycle follow(long launch, Child child, Role role, ChildTimings timings, EventLoop loop,
            Prober prober) {
        ChildLifecycle lifecycle = new ChildLifecycle(launch, child, role, timings, loop, prober);
        child.exit().thenAccept(ended -> loop.post(new ChildExited(launch, ended)));
        lifecycle.after(Timer.READY_POLL, timings.readyPoll());
        lifecycle.after(Timer.START_TIMEOUT, timings.startTimeout());
        return lifecycle;
    }

    /** Handles an event about this child; what the coordinator needs to act on, if anything. */
    Optional<Event> on(Event event) {
        if (event instanceof ChildExited exited) {
            return Optional.of(ended(exited.exit()));
        }
        if (event instanceof ChildTimer timer && timer.step() == step) {
            return onTimer(timer.timer());
        }
        if (event instanceof ChildProbe probe && probe.step() == step) {
            return onProbe(probe.probe(), probe.outcome());
        }
        log.debug("{} pid {}: ignoring {} from an earlier step", role.label(), pid(), event);
        return Optional.empty();
    }

    private Optional<Event> onTimer(Timer timer) {
        switch (phase) {
            case STARTING -> ask(timer == Timer.READY_POLL ? Probe.READY : Probe.STARTED);
            case RUNNING -> ask(Probe.LIVE);
            case DRAINING -> {
                log.warn("{} pid {} still running {} after SIGTERM (stop-timeout): sending SIGKILL", role.label(),
                        pid(), ConfigText.duration(timings.stopTimeout()));
                child.kill();
                enter(Phase.KILLING, "stop-timeout passed");
            }
            default -> log.debug("{} pid {}: ignoring {} in {}", role.label(), pid(), timer, phase);
        }
        return Optional.empty();
    }

    private Optional<Event> onProbe(Probe probe, Outcome outcome) {
        if (phase == Phase.STARTING && probe == Probe.READY) {
            if (outcome.passed()) {
                ready = true;
                return running("ready, " + outcome.detail());
            }
            after(Timer.READY_POLL, timings.readyPoll());
        } else if (phase == Phase.STARTING && probe == Probe.STARTED) {
            String timeout = ConfigText.duration(timings.startTimeout());
            if (outcome.passed()) {
                return running("started but not ready within start-timeout " + timeout
                        + ": no server is up; it serves as soon as one is");
            }
            return killed(RestartReason.NOT_READY, "neither ready nor started within start-timeout " + timeout + ", "
                    + outcome.detail());
        } else if (phase == Phase.RUNNING && probe == Probe.LIVE) {
            return liveness(outcome);
        }
        return Optional.empty();
    }

    private Optional<Event> liveness(Outcome outcome) {
        int allowed = timings.liveness().failures();
        if (outcome.passed()) {
            if (livenessFailures > 0) {
                log.info("{} pid {}: liveness probe passed again after {} failure(s)", role.label(), pid(),
                        livenessFailures);
            }
            livenessFailures = 0;
        } else if (++livenessFailures >= allowed) {
            return killed(RestartReason.LIVENESS, livenessFailures + " liveness probes failed in a row, last: "
                    + outcome.detail());
        } else {
            log.warn("{} pid {}: liveness probe failed ({} of {} allowed in a row): {}", role.label(), pid(),
                    livenessFailures, allowed, outcome.detail());
        }
        after(Timer.LIVENESS_POLL, timings.liveness().interval());
        return Optional.empty();
    }

    private Optional<Event> running(String reason) {
        enter(Phase.RUNNING, reason);
        after(Timer.LIVENESS_POLL, timings.liveness().interval());
        return Optional.of(new ChildRunning(this));
    }

    private Optional<Event> killed(RestartReason reason, String why) {
        kill(reason, why);
        return Optional.of(new ChildKilled(this));
    }

    private ChildEnded ended(ChildExit ended) {
        exit = ended;
        enter(Phase.ENDED, ended.describe());
        return new ChildEnded(this);
    }

    /** SIGTERM: the child stops accepting and drains; SIGKILL once the stop timeout passed. */
    void terminate(String why) {
        if (phase == Phase.ENDED || phase == Phase.KILLING || phase == Phase.DRAINING) {
            return;
        }
        child.terminate();
        enter(Phase.DRAINING, why + "; SIGTERM sent, SIGKILL after " + ConfigText.duration(timings.stopTimeout()));
        after(Timer.DRAIN_OVERDUE, timings.stopTimeout());
    }

    /** SIGKILL now, for {@code reason} (null: not a failure of the child, so no restart is counted for it). */
    void kill(RestartReason reason, String why) {
        if (phase == Phase.ENDED || phase == Phase.KILLING) {
            return;
        }
        killReason = reason;
        child.kill();
        enter(Phase.KILLING, (reason == null ? "" : reason.label() + ": ") + why + "; SIGKILL sent");
    }

    /** Gives the child another role (a promotion, or its retirement). */
    void becomes(Role next, String why) {
        log.info("pid {}: {} -> {} ({})", pid(), role.label(), next.label(), why);
        role = next;
    }

    private void enter(Phase next, String reason) {
        log.info("{} pid {}: {} -> {} ({})", role.label(), pid(), phase, next, reason);
        phase = next;
        step++;
    }

    private void ask(Probe probe) {
        long askedIn = step;
        Duration timeout = timings.liveness().timeout();
        prober.ask(child.admin(), probe, timeout)
                .thenAccept(outcome -> loop.post(new ChildProbe(launch, askedIn, probe, outcome)));
    }

    private void after(Timer timer, Duration delay) {
        loop.postAfter(delay, new ChildTimer(launch, step, timer));
    }

    long launch() {
        return launch;
    }

    long pid() {
        return child.pid();
    }

    Child child() {
        return child;
    }

    Role role() {
        return role;
    }

    Phase phase() {
        return phase;
    }

    boolean running() {
        return phase == Phase.RUNNING;
    }

    /** Whether it answered /health/ready (rather than only /health/started) when it began running. */
    boolean ready() {
        return ready;
    }

    boolean ended() {
        return phase == Phase.ENDED;
    }

    /** Why the supervisor killed it, if it did for a failure of the child. */
    Optional<RestartReason> killReason() {
        return Optional.ofNullable(killReason);
    }

    /** How it ended, once {@link #ended()}. */
    ChildExit exit() {
        return Objects.requireNonNull(exit, "exit: the child has not ended");
    }

    @Override
    public String toString() {
        return role.label() + " pid " + pid() + " (" + phase + ")";
    }
}

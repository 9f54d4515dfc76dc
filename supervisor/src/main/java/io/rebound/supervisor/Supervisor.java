package io.rebound.supervisor;

import io.rebound.config.ConfigReader;
import io.rebound.supervisor.Event.ChildExited;
import io.rebound.supervisor.Event.Probe;
import io.rebound.supervisor.Event.ProbeAnswered;
import io.rebound.supervisor.Event.Scoped;
import io.rebound.supervisor.Event.StartRequested;
import io.rebound.supervisor.Event.StopRequested;
import io.rebound.supervisor.Event.Timer;
import io.rebound.supervisor.Event.TimerFired;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one child process running, as systemd's {@code Restart=} keeps a service: starts it, waits for it to get ready,
 * probes its liveness, restarts it under the restart policy with crash-loop backoff, and stops it gracefully.
 *
 * <p>One event loop thread owns all state. Everything that happens (the child ended, a probe answered, a timer
 * expired, a stop was requested) is posted to it as an {@link Event}; {@link #on(Event)} is the transition table.
 * Timers and probes carry the epoch (the number of transitions so far) they were created in, so ones from an earlier
 * state are ignored. Every transition is logged as {@code FROM -> TO (reason)}. Durations use
 * {@link System#nanoTime()}; wall-clock time is only for display.
 */
public final class Supervisor {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
    /**
     * How often /health/ready is asked while a child starts. Cheap on loopback, and it bounds how late a ready child
     * is seen as running.
     */
    private static final Duration READY_POLL = Duration.ofMillis(50);

    private final SupervisorSettings settings;
    private final ChildCommand command;
    private final HealthProbe probe;
    private final CrashLoop crashLoop;
    private final ScheduledThreadPoolExecutor loop;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    // Owned by the event loop thread.
    private SupervisorState state = SupervisorState.STOPPED;
    private long sinceEpochMillis = System.currentTimeMillis();
    private long epoch;
    private long generation;
    private ChildProcess child;
    private RestartReason killReason;
    private int livenessFailures;
    private ChildExit lastExit;
    private Duration nextRestartDelay;
    private final Map<RestartReason, Long> restarts = new EnumMap<>(RestartReason.class);

    private volatile SupervisorStatus snapshot;

    public Supervisor(SupervisorSettings settings, ChildCommand command) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.command = Objects.requireNonNull(command, "command");
        this.probe = new HealthProbe(settings.childAdmin());
        this.crashLoop = new CrashLoop(settings.startLimitBurst(), settings.startLimitInterval(), settings.backoff());
        this.loop = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "supervisor-loop");
            thread.setDaemon(true);
            return thread;
        });
        loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        loop.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        publish();
    }

    /** Starts the first child. */
    public void start() {
        post(new StartRequested());
    }

    /**
     * Stops gracefully: SIGTERM to the child, SIGKILL after the stop timeout; no restart happens during a stop.
     *
     * @return completes once no child process is left
     */
    public CompletableFuture<Void> stop(String reason) {
        post(new StopRequested(reason));
        return stopped();
    }

    /** Completes once a stop is done and no child process is left. */
    public CompletableFuture<Void> stopped() {
        return stopped.copy();
    }

    /** The latest snapshot; never null. */
    public SupervisorStatus status() {
        return snapshot;
    }

    private void post(Event event) {
        try {
            loop.execute(() -> handle(event));
        } catch (RejectedExecutionException e) {
            log.debug("Supervisor stopped; ignoring {}", event);
        }
    }

    private void schedule(Timer timer, Duration delay) {
        long scheduledIn = epoch;
        try {
            loop.schedule(() -> handle(new TimerFired(timer, scheduledIn)), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("Supervisor stopped; not scheduling {}", timer);
        }
    }

    private void ask(Probe question, Duration timeout) {
        long askedIn = epoch;
        probe.probe(question.path(), timeout).thenAccept(outcome -> post(new ProbeAnswered(question, askedIn, outcome)));
    }

    private void handle(Event event) {
        try {
            on(event);
        } catch (RuntimeException e) {
            log.error("Supervisor failed to handle {} in state {}", event, state, e);
        }
        publish();
    }

    /** The transition table: what each event means in each state. */
    private void on(Event event) {
        if (event instanceof Scoped scoped && scoped.epoch() != epoch) {
            log.debug("Ignoring {} from an earlier state", event);
            return;
        }
        if (event instanceof ChildExited exited && exited.generation() != generation) {
            log.debug("Ignoring the end of an earlier child: {}", exited);
            return;
        }
        switch (state) {
            case STOPPED, FATAL -> whenIdle(event);
            case STARTING -> whenStarting(event);
            case RUNNING -> whenRunning(event);
            case KILLING -> whenKilling(event);
            case BACKOFF -> whenBackingOff(event);
            case STOPPING -> whenStopping(event);
        }
    }

    private void whenIdle(Event event) {
        if (event instanceof StartRequested) {
            launch("start requested");
        } else if (event instanceof StopRequested stop) {
            log.info("Stop requested ({}); no child is running", stop.reason());
            finishStop();
        }
    }

    private void whenStarting(Event event) {
        if (event instanceof TimerFired fired && fired.timer() == Timer.READY_POLL) {
            ask(Probe.READY, settings.liveness().timeout());
        } else if (event instanceof ProbeAnswered answer && answer.probe() == Probe.READY) {
            if (answer.outcome().passed()) {
                enterRunning("ready, " + answer.outcome().detail());
            } else {
                schedule(Timer.READY_POLL, READY_POLL);
            }
        } else if (event instanceof TimerFired fired && fired.timer() == Timer.START_TIMEOUT) {
            ask(Probe.STARTED, settings.liveness().timeout());
        } else if (event instanceof ProbeAnswered answer && answer.probe() == Probe.STARTED) {
            String timeout = ConfigReader.format(settings.startTimeout());
            if (answer.outcome().passed()) {
                log.warn("Child pid {} is started but not ready within start-timeout {}: counted as running, since "
                        + "restarting it would only add an outage; its servers are down", child.pid(), timeout);
                enterRunning("started but not ready within " + timeout);
            } else {
                killFor(RestartReason.NOT_READY, "neither ready nor started within start-timeout " + timeout
                        + ", " + answer.outcome().detail());
            }
        } else if (event instanceof ChildExited exited) {
            ended(exited.exit(), null);
        } else if (event instanceof StopRequested stop) {
            beginStop(stop.reason());
        }
    }

    private void whenRunning(Event event) {
        if (event instanceof TimerFired fired && fired.timer() == Timer.LIVENESS_POLL) {
            ask(Probe.LIVE, settings.liveness().timeout());
        } else if (event instanceof ProbeAnswered answer && answer.probe() == Probe.LIVE) {
            onLiveness(answer.outcome());
        } else if (event instanceof ChildExited exited) {
            ended(exited.exit(), null);
        } else if (event instanceof StopRequested stop) {
            beginStop(stop.reason());
        }
    }

    private void onLiveness(HealthProbe.Outcome outcome) {
        int allowed = settings.liveness().failures();
        if (outcome.passed()) {
            if (livenessFailures > 0) {
                log.info("Liveness probe of pid {} passed again after {} failure(s)", child.pid(), livenessFailures);
            }
            livenessFailures = 0;
            crashLoop.stayedUp(child.startedNanos(), System.nanoTime());
        } else {
            livenessFailures++;
            log.warn("Liveness probe of pid {} failed ({} of {} allowed in a row): {}", child.pid(),
                    livenessFailures, allowed, outcome.detail());
            if (livenessFailures >= allowed) {
                killFor(RestartReason.LIVENESS, livenessFailures + " liveness probes failed in a row, last: "
                        + outcome.detail());
                return;
            }
        }
        schedule(Timer.LIVENESS_POLL, settings.liveness().interval());
    }

    private void whenKilling(Event event) {
        if (event instanceof ChildExited exited) {
            ended(exited.exit(), killReason);
        } else if (event instanceof StopRequested stop) {
            transition(SupervisorState.STOPPING, stop.reason() + "; SIGKILL already sent to pid " + child.pid());
        }
    }

    private void whenBackingOff(Event event) {
        if (event instanceof TimerFired fired && fired.timer() == Timer.RESTART) {
            launch("restart delay " + ConfigReader.format(nextRestartDelay) + " passed");
        } else if (event instanceof StopRequested stop) {
            transition(SupervisorState.STOPPED, stop.reason() + "; the pending restart is cancelled");
            finishStop();
        }
    }

    private void whenStopping(Event event) {
        if (event instanceof TimerFired fired && fired.timer() == Timer.STOP_TIMEOUT) {
            log.warn("Child pid {} still running {} after SIGTERM (stop-timeout): sending SIGKILL", child.pid(),
                    ConfigReader.format(settings.stopTimeout()));
            child.kill();
        } else if (event instanceof ChildExited exited) {
            lastExit = exited.exit();
            child = null;
            transition(SupervisorState.STOPPED, "child pid " + exited.exit().pid() + " ended with "
                    + exited.exit().describe() + "; supervisor stopped");
            finishStop();
        }
    }

    private void launch(String reason) {
        generation++;
        long launched = generation;
        crashLoop.started(System.nanoTime());
        try {
            child = ChildProcess.start(command);
        } catch (IOException e) {
            // Seen as an immediate exit with the shell's "cannot execute" code, so the restart policy and the
            // crash-loop delay apply as to any other failed start.
            log.error("Cannot start the child {}: {}", command.command(), e.toString());
            child = null;
            transition(SupervisorState.STARTING, reason + "; launch failed");
            post(new ChildExited(launched, new ChildExit(-1, 126, System.currentTimeMillis())));
            return;
        }
        child.exit().thenAccept(exit -> post(new ChildExited(launched, exit)));
        transition(SupervisorState.STARTING, reason + "; launched pid " + child.pid() + ", waiting for /health/ready"
                + " at " + settings.childAdmin() + " up to " + ConfigReader.format(settings.startTimeout()));
        schedule(Timer.READY_POLL, READY_POLL);
        schedule(Timer.START_TIMEOUT, settings.startTimeout());
    }

    private void enterRunning(String reason) {
        livenessFailures = 0;
        transition(SupervisorState.RUNNING, "pid " + child.pid() + " " + reason);
        schedule(Timer.LIVENESS_POLL, settings.liveness().interval());
    }

    private void killFor(RestartReason reason, String why) {
        killReason = reason;
        child.kill();
        transition(SupervisorState.KILLING, reason.label() + ": " + why + "; SIGKILL sent to pid " + child.pid());
    }

    private void beginStop(String reason) {
        if (child == null) {
            transition(SupervisorState.STOPPED, reason + "; no child process (its launch failed)");
            finishStop();
            return;
        }
        child.terminate();
        transition(SupervisorState.STOPPING, reason + "; SIGTERM sent to pid " + child.pid() + ", SIGKILL after "
                + ConfigReader.format(settings.stopTimeout()));
        schedule(Timer.STOP_TIMEOUT, settings.stopTimeout());
    }

    /** The current child is gone, by itself or killed by the supervisor for {@code killedFor}. */
    private void ended(ChildExit exit, RestartReason killedFor) {
        long startedNanos = child == null ? System.nanoTime() : child.startedNanos();
        lastExit = exit;
        child = null;
        String what = "pid " + exit.pid() + " ended with " + exit.describe();
        switch (AfterExit.decide(settings.restart(), settings.restartPreventExitStatus(), exit, killedFor != null)) {
            case RESTART -> {
                RestartReason reason = killedFor != null ? killedFor : RestartReason.of(exit);
                restarts.merge(reason, 1L, Long::sum);
                nextRestartDelay = crashLoop.delayBeforeRestart(startedNanos, System.nanoTime());
                String loopNote = crashLoop.looping() ? "; crash-looping (" + settings.startLimitBurst()
                        + " starts within " + ConfigReader.format(settings.startLimitInterval())
                        + "), so the delay grows up to " + ConfigReader.format(settings.restartMaxDelay()) : "";
                transition(SupervisorState.BACKOFF, what + "; restart " + (restartsTotal()) + " (" + reason.label()
                        + ") in " + ConfigReader.format(nextRestartDelay) + loopNote);
                schedule(Timer.RESTART, nextRestartDelay);
            }
            case STAY_STOPPED -> transition(SupervisorState.STOPPED, what + "; restart = "
                    + ConfigReader.word(settings.restart()) + ": not restarted");
            case STAY_FAILED -> transition(SupervisorState.FATAL, what + "; " + whyNoRestart(exit, killedFor)
                    + ": not restarted; the supervisor stays up; fix the cause and restart the supervisor");
        }
    }

    private String whyNoRestart(ChildExit exit, RestartReason killedFor) {
        if (killedFor == null && settings.restartPreventExitStatus().contains(exit.exitValue())) {
            return "exit code " + exit.exitValue() + " is in restart-prevent-exit-status"
                    + (exit.exitValue() == 78 ? " (78: invalid configuration)" : "");
        }
        return "restart = " + ConfigReader.word(settings.restart());
    }

    private void finishStop() {
        publish(); // before anyone waiting for the stop looks at the status
        loop.shutdown();
        stopped.complete(null);
    }

    private void transition(SupervisorState to, String reason) {
        SupervisorState from = state;
        state = to;
        epoch++;
        sinceEpochMillis = System.currentTimeMillis();
        if (to != SupervisorState.BACKOFF) {
            nextRestartDelay = null;
        }
        log.info("{} -> {} ({})", from, to, reason);
    }

    private long restartsTotal() {
        return restarts.values().stream().mapToLong(Long::longValue).sum();
    }

    private void publish() {
        ChildProcess current = child;
        snapshot = new SupervisorStatus(state, sinceEpochMillis,
                current == null ? OptionalLong.empty() : OptionalLong.of(current.pid()),
                current == null ? OptionalLong.empty() : OptionalLong.of(current.startedEpochMillis()),
                restarts, Optional.ofNullable(lastExit), Optional.ofNullable(nextRestartDelay), crashLoop.looping());
    }
}

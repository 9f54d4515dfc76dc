package io.rebound.supervisor;

import io.rebound.config.ConfigReader;
import io.rebound.config.HostPort;
import io.rebound.supervisor.Event.ChildExited;
import io.rebound.supervisor.Event.Probe;
import io.rebound.supervisor.Event.ProbeAnswered;
import io.rebound.supervisor.Event.ReloadRequested;
import io.rebound.supervisor.Event.RetiredOverdue;
import io.rebound.supervisor.Event.Scoped;
import io.rebound.supervisor.Event.StandbyProbeAnswered;
import io.rebound.supervisor.Event.StandbyRestartDue;
import io.rebound.supervisor.Event.StandbyTimerFired;
import io.rebound.supervisor.Event.StartRequested;
import io.rebound.supervisor.Event.StopRequested;
import io.rebound.supervisor.Event.Timer;
import io.rebound.supervisor.Event.TimerFired;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one child process running, as systemd's {@code Restart=} keeps a service: starts it, waits for it to get ready,
 * probes its liveness, restarts it under the restart policy with crash-loop backoff, and stops it gracefully. A reload
 * starts a second child on the same listening socket and retires the first once the second is ready; retired children
 * drain and are SIGKILLed after the stop timeout. With {@code standby = 1} a second child serves the same socket all
 * along; when the main child ends, the standby (already serving) becomes the main one and a new standby starts after
 * the restart delay. The standby has its own probes and timers, scoped by its launch number rather than by the
 * main state machine's epoch.
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
    /** The proxy's option for a child started while another of ours holds {@code rebound.admin.bind}. */
    static final String SUCCESSOR_ADMIN = "--successor-admin";
    /** States in which a reload can begin: a child runs, or none does and none is coming. */
    private static final Set<SupervisorState> RELOADABLE = EnumSet.of(SupervisorState.RUNNING,
            SupervisorState.STOPPED, SupervisorState.FATAL);
    /**
     * States in which a reload waits until a child runs: the child getting ready now was started before the request,
     * with the file as it was then, so the reload cannot be dropped or answered as done.
     */
    private static final Set<SupervisorState> RELOAD_DEFERRED = EnumSet.of(SupervisorState.STARTING,
            SupervisorState.RELOADING);

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
    /** Launches so far; each child is known by its launch number, its generation. */
    private long launches;
    private long generation;
    private ChildProcess child;
    /** The new child of a reload under way, and its generation. */
    private ChildProcess successor;
    private long successorGeneration;
    private CompletableFuture<ReloadOutcome> pendingReload;
    /** Reloads asked for in a {@link #RELOAD_DEFERRED} state; one reload serves them all once a child runs. */
    private final List<ReloadRequested> deferredReloads = new ArrayList<>();
    /** Children replaced by a reload, draining after SIGTERM, by generation. */
    private final Map<Long, ChildProcess> retired = new LinkedHashMap<>();
    private long reloads;
    /** The warm standby child ({@code standby = 1}), its launch number, and what is known of it. */
    private ChildProcess standby;
    private long standbyGeneration;
    private boolean standbyReady;
    private int standbyLivenessFailures;
    private RestartReason standbyKillReason;
    private boolean standbyRestartPending;
    /** Answers to give once the current event's status is published. */
    private final List<Runnable> answers = new ArrayList<>();
    private RestartReason killReason;
    private int livenessFailures;
    private ChildExit lastExit;
    private Duration nextRestartDelay;
    private final Map<RestartReason, Long> restarts = new EnumMap<>(RestartReason.class);

    private volatile SupervisorStatus snapshot;

    public Supervisor(SupervisorSettings settings, ChildCommand command) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.command = Objects.requireNonNull(command, "command");
        this.probe = new HealthProbe(settings.childAdminToken());
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

    /**
     * Starts a new child with the configuration as it is on disk now, which the caller has validated, on the same
     * listening socket; once it is ready the running child is sent SIGTERM and drains. Refused unless a child is
     * running on the shared listening socket.
     *
     * @return completes with the outcome; never exceptionally
     */
    public CompletableFuture<ReloadOutcome> reload(String reason) {
        CompletableFuture<ReloadOutcome> result = new CompletableFuture<>();
        try {
            loop.execute(() -> handle(new ReloadRequested(reason, result)));
        } catch (RejectedExecutionException e) {
            result.complete(ReloadOutcome.refused("the supervisor is stopping"));
        }
        return result;
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

    private void ask(ChildProcess whom, Probe question, Duration timeout) {
        long askedIn = epoch;
        probe.probe(whom.admin(), question.path(), timeout)
                .thenAccept(outcome -> post(new ProbeAnswered(question, askedIn, outcome)));
    }

    private void handle(Event event) {
        try {
            on(event);
        } catch (RuntimeException e) {
            log.error("Supervisor failed to handle {} in state {}", event, state, e);
        }
        publish();
        // Whoever waits for an outcome sees the status it led to.
        for (Runnable answer : answers) {
            answer.run();
        }
        answers.clear();
    }

    /** Completes {@code result} once the status after this event is published. */
    private void answer(CompletableFuture<ReloadOutcome> result, ReloadOutcome outcome) {
        answers.add(() -> result.complete(outcome));
    }

    /** The transition table: what each event means in each state. */
    private void on(Event event) {
        if (event instanceof Scoped scoped && scoped.epoch() != epoch) {
            log.debug("Ignoring {} from an earlier state", event);
            return;
        }
        if (event instanceof ChildExited exited && exited.generation() != generation) {
            endedBesidesTheChild(exited);
            return;
        }
        if (event instanceof RetiredOverdue overdue) {
            killIfStillDraining(overdue.generation());
            return;
        }
        if (event instanceof StandbyTimerFired || event instanceof StandbyProbeAnswered
                || event instanceof StandbyRestartDue) {
            onStandby(event);
            return;
        }
        if (event instanceof ReloadRequested reload && loop.isShutdown()) {
            answer(reload.result(), ReloadOutcome.refused("the supervisor has stopped"));
            return;
        }
        if (event instanceof ReloadRequested reload && RELOAD_DEFERRED.contains(state)) {
            log.info("Reload ({}) deferred: pid {} was started before it and is not ready yet; the reload begins once "
                    + "a proxy runs", reload.reason(), state == SupervisorState.RELOADING ? successor.pid()
                    : child.pid());
            deferredReloads.add(reload);
            return;
        }
        if (event instanceof ReloadRequested reload && !RELOADABLE.contains(state)) {
            answer(reload.result(), nothingToReload(state));
            return;
        }
        switch (state) {
            case STOPPED, FATAL -> whenIdle(event);
            case STARTING -> whenStarting(event);
            case RUNNING -> whenRunning(event);
            case RELOADING -> whenReloading(event);
            case KILLING -> whenKilling(event);
            case BACKOFF -> whenBackingOff(event);
            case STOPPING -> whenStopping(event);
        }
    }

    private void whenIdle(Event event) {
        if (event instanceof StartRequested) {
            launch("start requested");
        } else if (event instanceof ReloadRequested reload) {
            launch(reload.reason() + " while no proxy ran");
            answer(reload.result(), ReloadOutcome.reloaded("no proxy was running (" + state.activeState()
                    + "); started pid " + (child == null ? "(none: the launch failed)" : child.pid())
                    + " with the new configuration"));
        } else if (event instanceof StopRequested stop) {
            // No main child; a standby or a retired child may still run, and is stopped like one.
            beginStop(stop.reason());
        }
    }

    private void whenStarting(Event event) {
        if (event instanceof TimerFired fired && fired.timer() == Timer.READY_POLL) {
            ask(child, Probe.READY, settings.liveness().timeout());
        } else if (event instanceof ProbeAnswered answer && answer.probe() == Probe.READY) {
            if (answer.outcome().passed()) {
                enterRunning("ready, " + answer.outcome().detail());
            } else {
                schedule(Timer.READY_POLL, READY_POLL);
            }
        } else if (event instanceof TimerFired fired && fired.timer() == Timer.START_TIMEOUT) {
            ask(child, Probe.STARTED, settings.liveness().timeout());
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
            ask(child, Probe.LIVE, settings.liveness().timeout());
        } else if (event instanceof ProbeAnswered answer && answer.probe() == Probe.LIVE) {
            onLiveness(answer.outcome());
        } else if (event instanceof ChildExited exited) {
            ended(exited.exit(), null);
        } else if (event instanceof ReloadRequested reload) {
            beginReload(reload);
        } else if (event instanceof StopRequested stop) {
            beginStop(stop.reason());
        }
    }

    /** A reload: the running child serves while the successor starts; the successor's probes decide. */
    private void whenReloading(Event event) {
        if (event instanceof TimerFired fired && fired.timer() == Timer.READY_POLL) {
            ask(successor, Probe.READY, settings.liveness().timeout());
        } else if (event instanceof ProbeAnswered answer && answer.probe() == Probe.READY) {
            if (answer.outcome().passed()) {
                promoteSuccessor(answer.outcome().detail());
            } else {
                schedule(Timer.READY_POLL, READY_POLL);
            }
        } else if (event instanceof TimerFired fired && fired.timer() == Timer.START_TIMEOUT) {
            ChildProcess failed = successor;
            retire(failed, successorGeneration, true);
            successor = null;
            finishReload(ReloadOutcome.failed("the new proxy pid " + failed.pid() + " was not ready within "
                    + "start-timeout " + ConfigReader.format(settings.startTimeout()) + "; it was killed, and pid "
                    + child.pid() + " keeps serving the previous configuration"));
            enterRunning("reload failed; keeps serving");
        } else if (event instanceof ChildExited exited) {
            // The running child ended during the reload: the successor takes its place, and has yet to get ready.
            lastExit = exited.exit();
            restarts.merge(RestartReason.of(exited.exit()), 1L, Long::sum);
            child = successor;
            generation = successorGeneration;
            successor = null;
            finishReload(ReloadOutcome.reloaded("the previous proxy pid " + exited.exit().pid() + " ended with "
                    + exited.exit().describe() + " during the reload; pid " + child.pid()
                    + " with the new configuration takes its place"));
            transition(SupervisorState.STARTING, "pid " + exited.exit().pid() + " ended with "
                    + exited.exit().describe() + " during the reload; waiting for pid " + child.pid());
            schedule(Timer.READY_POLL, READY_POLL);
            schedule(Timer.START_TIMEOUT, settings.startTimeout());
        } else if (event instanceof StopRequested stop) {
            retire(successor, successorGeneration, false);
            finishReload(ReloadOutcome.failed("the supervisor is stopping (" + stop.reason() + ")"));
            successor = null;
            beginStop(stop.reason());
        }
    }

    private void beginReload(ReloadRequested reload) {
        if (command.input() != ChildInput.SHARED_LISTENER) {
            answer(reload.result(), ReloadOutcome.refused("a reload needs the listening socket shared by the "
                    + "supervisor (rebound.supervisor.share-listener = on): a new proxy cannot bind rebound.bind "
                    + "while the running one holds it; restart the supervisor instead"));
            return;
        }
        long launched = ++launches;
        ChildProcess started;
        try {
            started = startBesideAnother();
        } catch (IOException e) {
            log.error("Reload: cannot start a new proxy {}: {}", command.command(), e.toString());
            answer(reload.result(), ReloadOutcome.failed("cannot start a new proxy: " + e.getMessage()
                    + "; pid " + child.pid() + " keeps serving"));
            return;
        }
        successor = started;
        successorGeneration = launched;
        pendingReload = reload.result();
        started.exit().thenAccept(exit -> post(new ChildExited(launched, exit)));
        transition(SupervisorState.RELOADING, reload.reason() + "; launched pid " + started.pid()
                + " with the configuration as it is now, waiting for its /health/ready at " + started.admin() + " up to "
                + ConfigReader.format(settings.startTimeout()) + "; pid " + child.pid() + " serves meanwhile");
        schedule(Timer.READY_POLL, READY_POLL);
        schedule(Timer.START_TIMEOUT, settings.startTimeout());
    }

    /**
     * Starts a child while another of ours holds {@code rebound.admin.bind}: its admin endpoints answer on an interim
     * loopback address ({@code --successor-admin}) until it can take the configured one.
     */
    private ChildProcess startBesideAnother() throws IOException {
        HostPort interim = InterimAdmin.pick();
        return ChildProcess.start(command.withArguments(SUCCESSOR_ADMIN, interim.toString()), interim);
    }

    private void promoteSuccessor(String detail) {
        ChildProcess previous = child;
        retire(previous, generation, false);
        child = successor;
        generation = successorGeneration;
        successor = null;
        reloads++;
        if (standby != null) {
            // It runs the previous configuration: a new standby (launched on entering RUNNING) runs the new one.
            retire(standby, standbyGeneration, false);
            standby = null;
            standbyReady = false;
        }
        finishReload(ReloadOutcome.reloaded("pid " + child.pid() + " serves the new configuration; pid "
                + previous.pid() + " stopped accepting and drains its requests (SIGKILL after "
                + ConfigReader.format(settings.stopTimeout()) + ")"));
        enterRunning("reloaded, " + detail + "; took over from pid " + previous.pid() + ", which drains");
    }

    private void finishReload(ReloadOutcome outcome) {
        if (pendingReload != null) {
            answer(pendingReload, outcome);
            pendingReload = null;
        }
    }

    /**
     * Ends a child that is no longer the current one: SIGTERM (it stops accepting and drains) with SIGKILL after the
     * stop timeout, or SIGKILL at once. Its end is then only logged.
     */
    private void retire(ChildProcess process, long processGeneration, boolean killNow) {
        retired.put(processGeneration, process);
        if (killNow) {
            process.kill();
            return;
        }
        process.terminate();
        try {
            loop.schedule(() -> handle(new RetiredOverdue(processGeneration)), settings.stopTimeout().toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("Supervisor stopped; not scheduling the SIGKILL of pid {}", process.pid());
        }
    }

    private void killIfStillDraining(long retiredGeneration) {
        ChildProcess draining = retired.get(retiredGeneration);
        if (draining != null) {
            log.warn("Retired pid {} still running {} after SIGTERM (stop-timeout): sending SIGKILL", draining.pid(),
                    ConfigReader.format(settings.stopTimeout()));
            draining.kill();
        }
    }

    /** A child other than the current one ended: a retired one, or the successor of a reload. */
    private void endedBesidesTheChild(ChildExited exited) {
        ChildProcess gone = retired.remove(exited.generation());
        if (gone != null) {
            log.info("Retired pid {} ended with {}", exited.exit().pid(), exited.exit().describe());
            if (state == SupervisorState.STOPPING && child == null && retired.isEmpty()) {
                transition(SupervisorState.STOPPED, "the last retired child ended; supervisor stopped");
                finishStop();
            }
        } else if (standby != null && exited.generation() == standbyGeneration) {
            standbyEnded(exited.exit());
        } else if (successor != null && exited.generation() == successorGeneration) {
            successor = null;
            finishReload(ReloadOutcome.failed("the new proxy pid " + exited.exit().pid() + " ended with "
                    + exited.exit().describe() + " before it was ready (see its log lines above); pid "
                    + child.pid() + " keeps serving the previous configuration"));
            enterRunning("reload failed; keeps serving");
        } else {
            log.debug("Ignoring the end of an earlier child: {}", exited);
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
            beginStop(stop.reason() + "; the pending restart is cancelled");
        }
    }

    private void whenStopping(Event event) {
        if (event instanceof TimerFired fired && fired.timer() == Timer.STOP_TIMEOUT) {
            if (child != null) {
                log.warn("Child pid {} still running {} after SIGTERM (stop-timeout): sending SIGKILL", child.pid(),
                        ConfigReader.format(settings.stopTimeout()));
                child.kill();
            }
            retired.values().forEach(ChildProcess::kill);
        } else if (event instanceof ChildExited exited) {
            lastExit = exited.exit();
            child = null;
            if (retired.isEmpty()) {
                transition(SupervisorState.STOPPED, "child pid " + exited.exit().pid() + " ended with "
                        + exited.exit().describe() + "; supervisor stopped");
                finishStop();
            } else {
                log.info("Child pid {} ended with {}; waiting for {} retired child(ren) to end",
                        exited.exit().pid(), exited.exit().describe(), retired.size());
            }
        }
    }

    private void launch(String reason) {
        generation = ++launches;
        long launched = generation;
        crashLoop.started(System.nanoTime());
        try {
            if (retired.isEmpty()) {
                child = ChildProcess.start(command, settings.childAdmin());
            } else {
                // A retired child still holds rebound.admin.bind while it drains.
                child = startBesideAnother();
            }
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
                + " at " + child.admin() + " up to " + ConfigReader.format(settings.startTimeout()));
        schedule(Timer.READY_POLL, READY_POLL);
        schedule(Timer.START_TIMEOUT, settings.startTimeout());
    }

    private void enterRunning(String reason) {
        livenessFailures = 0;
        transition(SupervisorState.RUNNING, "pid " + child.pid() + " " + reason);
        schedule(Timer.LIVENESS_POLL, settings.liveness().interval());
        if (standby == null && !standbyRestartPending && settings.standby() > 0) {
            launchStandby();
        }
        beginDeferredReload();
    }

    /** Begins one reload for every request deferred while a child was getting ready; each gets its outcome. */
    private void beginDeferredReload() {
        if (deferredReloads.isEmpty()) {
            return;
        }
        List<ReloadRequested> waiting = List.copyOf(deferredReloads);
        deferredReloads.clear();
        CompletableFuture<ReloadOutcome> outcome = new CompletableFuture<>();
        outcome.thenAccept(done -> waiting.forEach(request -> request.result().complete(done)));
        beginReload(new ReloadRequested(waiting.get(waiting.size() - 1).reason() + ", deferred until a proxy ran",
                outcome));
    }

    /** Answers the deferred reloads when the supervisor leaves the states that defer them other than by running. */
    private void refuseDeferredReloads(SupervisorState to) {
        if (deferredReloads.isEmpty() || RELOAD_DEFERRED.contains(to) || to == SupervisorState.RUNNING) {
            return;
        }
        ReloadOutcome refused = to == SupervisorState.STOPPING
                ? ReloadOutcome.refused("the supervisor is stopping") : nothingToReload(to);
        deferredReloads.forEach(request -> answer(request.result(), refused));
        deferredReloads.clear();
    }

    /** A reload in a state where no child runs and one is coming (after a delay, or a kill). */
    private static ReloadOutcome nothingToReload(SupervisorState in) {
        return ReloadOutcome.refused("no proxy is running to reload (" + in.activeState() + "); a proxy started "
                + "from now on reads the configuration anew anyway");
    }

    // The warm standby.

    private void launchStandby() {
        if (command.input() != ChildInput.SHARED_LISTENER) {
            log.warn("No standby proxy: the children do not share the supervisor's listening socket");
            return;
        }
        long launched = ++launches;
        crashLoop.started(System.nanoTime());
        try {
            standby = startBesideAnother();
        } catch (IOException e) {
            log.error("Cannot start a standby proxy {}: {}", command.command(), e.toString());
            standbyRestartPending = true;
            scheduleStandbyRestart(settings.restartMaxDelay());
            return;
        }
        standbyGeneration = launched;
        standbyReady = false;
        standbyLivenessFailures = 0;
        standbyKillReason = null;
        standby.exit().thenAccept(exit -> post(new ChildExited(launched, exit)));
        log.info("Standby proxy pid {} launched on the same listening socket; waiting for its /health/ready at {}",
                standby.pid(), standby.admin());
        scheduleStandby(Timer.READY_POLL, READY_POLL);
        scheduleStandby(Timer.START_TIMEOUT, settings.startTimeout());
    }

    private void onStandby(Event event) {
        if (event instanceof StandbyRestartDue) {
            standbyRestartPending = false;
            if (state == SupervisorState.RUNNING && standby == null && settings.standby() > 0) {
                launchStandby();
            } // otherwise the next enterRunning starts it
            return;
        }
        long about = event instanceof StandbyTimerFired fired ? fired.generation()
                : ((StandbyProbeAnswered) event).generation();
        if (standby == null || about != standbyGeneration) {
            return; // about a standby that is gone
        }
        if (event instanceof StandbyTimerFired fired) {
            switch (fired.timer()) {
                case READY_POLL -> askStandby(Probe.READY);
                case LIVENESS_POLL -> askStandby(Probe.LIVE);
                case START_TIMEOUT -> {
                    if (!standbyReady) {
                        killStandby(RestartReason.NOT_READY, "not ready within start-timeout "
                                + ConfigReader.format(settings.startTimeout()));
                    }
                }
                default -> log.debug("Ignoring standby timer {}", fired.timer());
            }
        } else if (event instanceof StandbyProbeAnswered answer) {
            onStandbyProbe(answer);
        }
    }

    private void onStandbyProbe(StandbyProbeAnswered answer) {
        if (answer.probe() == Probe.READY) {
            if (answer.outcome().passed()) {
                standbyReady = true;
                log.info("Standby proxy pid {} is ready and serves beside pid {}", standby.pid(),
                        child == null ? "(none)" : child.pid());
                scheduleStandby(Timer.LIVENESS_POLL, settings.liveness().interval());
            } else {
                scheduleStandby(Timer.READY_POLL, READY_POLL);
            }
            return;
        }
        if (answer.outcome().passed()) {
            standbyLivenessFailures = 0;
        } else if (++standbyLivenessFailures >= settings.liveness().failures()) {
            killStandby(RestartReason.LIVENESS, standbyLivenessFailures + " liveness probes failed in a row, last: "
                    + answer.outcome().detail());
            return;
        } else {
            log.warn("Liveness probe of standby pid {} failed ({} of {} allowed in a row): {}", standby.pid(),
                    standbyLivenessFailures, settings.liveness().failures(), answer.outcome().detail());
        }
        scheduleStandby(Timer.LIVENESS_POLL, settings.liveness().interval());
    }

    private void killStandby(RestartReason reason, String why) {
        log.warn("Standby proxy pid {}: {}: {}; SIGKILL sent", standby.pid(), reason.label(), why);
        standbyKillReason = reason;
        standby.kill();
    }

    private void standbyEnded(ChildExit exit) {
        long startedNanos = standby.startedNanos();
        RestartReason killedFor = standbyKillReason;
        standby = null;
        standbyReady = false;
        lastExit = exit;
        if (AfterExit.decide(settings.restart(), settings.restartPreventExitStatus(), exit, killedFor != null)
                != AfterExit.RESTART) {
            log.warn("Standby proxy pid {} ended with {}; not replaced (restart = {})", exit.pid(), exit.describe(),
                    ConfigReader.word(settings.restart()));
            return;
        }
        RestartReason reason = killedFor != null ? killedFor : RestartReason.of(exit);
        restarts.merge(reason, 1L, Long::sum);
        Duration delay = crashLoop.delayBeforeRestart(startedNanos, System.nanoTime());
        log.info("Standby proxy pid {} ended with {}; restart {} ({}) in {}", exit.pid(), exit.describe(),
                restartsTotal(), reason.label(), ConfigReader.format(delay));
        standbyRestartPending = true;
        scheduleStandbyRestart(delay);
    }

    /**
     * The main child ended and a ready standby is serving the same socket: it becomes the main child at once, and a
     * new standby starts after the restart delay.
     */
    private void promoteStandby(ChildExit exit, RestartReason reason, long endedStartedNanos) {
        restarts.merge(reason, 1L, Long::sum);
        ChildProcess promoted = standby;
        child = promoted;
        generation = standbyGeneration;
        standby = null;
        standbyReady = false;
        Duration delay = crashLoop.delayBeforeRestart(endedStartedNanos, System.nanoTime());
        standbyRestartPending = true;
        scheduleStandbyRestart(delay);
        enterRunning("(the standby, already serving) is the main proxy now: pid " + exit.pid() + " ended with "
                + exit.describe() + "; restart " + restartsTotal() + " (" + reason.label() + "); a new standby in "
                + ConfigReader.format(delay));
    }

    private void askStandby(Probe question) {
        long about = standbyGeneration;
        probe.probe(standby.admin(), question.path(), settings.liveness().timeout())
                .thenAccept(outcome -> post(new StandbyProbeAnswered(about, question, outcome)));
    }

    private void scheduleStandby(Timer timer, Duration delay) {
        long about = standbyGeneration;
        try {
            loop.schedule(() -> handle(new StandbyTimerFired(about, timer)), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("Supervisor stopped; not scheduling {} of the standby", timer);
        }
    }

    private void scheduleStandbyRestart(Duration delay) {
        try {
            loop.schedule(() -> handle(new StandbyRestartDue()), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("Supervisor stopped; not restarting the standby");
        }
    }

    private void killFor(RestartReason reason, String why) {
        killReason = reason;
        child.kill();
        transition(SupervisorState.KILLING, reason.label() + ": " + why + "; SIGKILL sent to pid " + child.pid());
    }

    private void beginStop(String reason) {
        if (standby != null) {
            retire(standby, standbyGeneration, false);
            standby = null;
            standbyReady = false;
        }
        if (child == null && retired.isEmpty()) {
            transition(SupervisorState.STOPPED, reason + "; no child process");
            finishStop();
            return;
        }
        if (child != null) {
            child.terminate();
        }
        transition(SupervisorState.STOPPING, reason + "; SIGTERM sent to " + (child == null ? "" : "pid "
                + child.pid() + " ") + (retired.isEmpty() ? "" : "(retired pids " + retiredPids()
                + " are draining) ") + "SIGKILL after " + ConfigReader.format(settings.stopTimeout()));
        schedule(Timer.STOP_TIMEOUT, settings.stopTimeout());
    }

    private List<Long> retiredPids() {
        return retired.values().stream().map(ChildProcess::pid).toList();
    }

    /** The current child is gone, by itself or killed by the supervisor for {@code killedFor}. */
    private void ended(ChildExit exit, RestartReason killedFor) {
        long startedNanos = child == null ? System.nanoTime() : child.startedNanos();
        lastExit = exit;
        child = null;
        String what = "pid " + exit.pid() + " ended with " + exit.describe();
        AfterExit decision = AfterExit.decide(settings.restart(), settings.restartPreventExitStatus(), exit,
                killedFor != null);
        if (decision == AfterExit.RESTART && standby != null && standbyReady) {
            promoteStandby(exit, killedFor != null ? killedFor : RestartReason.of(exit), startedNanos);
            return;
        }
        switch (decision) {
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
        refuseDeferredReloads(to);
    }

    private long restartsTotal() {
        return restarts.values().stream().mapToLong(Long::longValue).sum();
    }

    private void publish() {
        ChildProcess current = child;
        snapshot = new SupervisorStatus(state, sinceEpochMillis,
                current == null ? OptionalLong.empty() : OptionalLong.of(current.pid()),
                current == null ? OptionalLong.empty() : OptionalLong.of(current.startedEpochMillis()),
                restarts, Optional.ofNullable(lastExit), Optional.ofNullable(nextRestartDelay), crashLoop.looping(),
                reloads, retiredPids(), standby == null ? OptionalLong.empty() : OptionalLong.of(standby.pid()),
                standbyReady);
    }
}

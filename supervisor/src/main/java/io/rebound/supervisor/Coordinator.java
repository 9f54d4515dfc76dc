package io.rebound.supervisor;

import static io.rebound.supervisor.SupervisorState.BACKOFF;
import static io.rebound.supervisor.SupervisorState.FATAL;
import static io.rebound.supervisor.SupervisorState.KILLING;
import static io.rebound.supervisor.SupervisorState.RELOADING;
import static io.rebound.supervisor.SupervisorState.RUNNING;
import static io.rebound.supervisor.SupervisorState.STARTING;
import static io.rebound.supervisor.SupervisorState.STOPPED;
import static io.rebound.supervisor.SupervisorState.STOPPING;

import io.rebound.config.ConfigText;
import io.rebound.config.HostPort;
import io.rebound.supervisor.Event.ChildEnded;
import io.rebound.supervisor.Event.ChildExited;
import io.rebound.supervisor.Event.ChildKilled;
import io.rebound.supervisor.Event.ChildProbe;
import io.rebound.supervisor.Event.ChildRunning;
import io.rebound.supervisor.Event.ChildTimer;
import io.rebound.supervisor.Event.MainReadiness;
import io.rebound.supervisor.Event.ReloadRequested;
import io.rebound.supervisor.Event.RestartDue;
import io.rebound.supervisor.Event.StandbyDue;
import io.rebound.supervisor.Event.StartRequested;
import io.rebound.supervisor.Event.StopRequested;
import io.rebound.supervisor.history.SupervisorEvents;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a proxy running as systemd's {@code Restart=} keeps a service, through {@link ChildLifecycle}s: the main
 * child, a reload's successor, the standby and the retired children. {@link #TABLE} says what each kind of event means
 * in each state; {@link MainChildActions} and {@link ReloadActions} carry the actions out. Owned by the event loop
 * thread; every transition is logged as {@code FROM -> TO (reason)}.
 */
final class Coordinator {
    private static final Logger log = LoggerFactory.getLogger(Coordinator.class);
    private static final Set<SupervisorState> IDLE = EnumSet.of(STOPPED, FATAL);
    private static final Set<SupervisorState> ANY = EnumSet.allOf(SupervisorState.class);

    /** The kinds of events the table tells apart: a child's events by the role of the child. */
    enum Kind {
        START, STOP, RELOAD, RESTART_DUE, STANDBY_DUE, MAIN_READINESS,
        MAIN_RUNNING, MAIN_KILLED, MAIN_ENDED,
        SUCCESSOR_RUNNING, SUCCESSOR_KILLED, SUCCESSOR_ENDED,
        STANDBY_RUNNING, STANDBY_KILLED, STANDBY_ENDED,
        RETIRED_ENDED
    }

    private static final TransitionTable<SupervisorState, Kind, Coordinator> TABLE =
            TransitionTable.<SupervisorState, Kind, Coordinator>of(SupervisorState.class, Kind.class)
            //  in state(s)                              on event               do
            .on(IDLE,                                    Kind.START,            (c, e) -> c.main.launch("start requested"))
            .on(IDLE,                                    Kind.RELOAD,           (c, e) -> c.reloads.launchWhileIdle(e))
            .on(EnumSet.of(STOPPED, FATAL, STARTING, RUNNING, BACKOFF), Kind.STOP, (c, e) -> c.main.stop(e))
            .on(EnumSet.of(KILLING),                     Kind.STOP,             (c, e) -> c.main.stopOnceKilled(e))
            .on(EnumSet.of(RELOADING),                   Kind.STOP,             (c, e) -> c.reloads.abandonAndStop(e))
            .on(EnumSet.of(STARTING, RELOADING),         Kind.RELOAD,           (c, e) -> c.reloads.defer(e))
            .on(EnumSet.of(RUNNING),                     Kind.RELOAD,           (c, e) -> c.reloads.begin(e))
            .on(EnumSet.of(KILLING, BACKOFF, STOPPING),  Kind.RELOAD,           (c, e) -> c.reloads.refuse(e))
            .on(EnumSet.of(STARTING),                    Kind.MAIN_RUNNING,     (c, e) -> c.main.running(e))
            .on(EnumSet.of(STARTING, RUNNING),           Kind.MAIN_KILLED,      (c, e) -> c.main.killed(e))
            .on(EnumSet.of(STARTING, RUNNING, KILLING),  Kind.MAIN_ENDED,       (c, e) -> c.main.ended(e))
            .on(EnumSet.of(STOPPING),                    Kind.MAIN_ENDED,       (c, e) -> c.main.endedInStop(e))
            .on(EnumSet.of(BACKOFF),                     Kind.RESTART_DUE,      (c, e) -> c.main.restartDue(e))
            .on(EnumSet.of(RELOADING),                   Kind.SUCCESSOR_RUNNING, (c, e) -> c.reloads.successorRunning())
            .on(EnumSet.of(RELOADING),                   Kind.MAIN_READINESS,   (c, e) -> c.reloads.mainAnswered(e))
            .on(EnumSet.of(RELOADING),                   Kind.SUCCESSOR_KILLED, (c, e) -> c.reloads.failed(e))
            .on(EnumSet.of(RELOADING),                   Kind.SUCCESSOR_ENDED,  (c, e) -> c.reloads.failed(e))
            .on(EnumSet.of(RELOADING),                   Kind.MAIN_ENDED,       (c, e) -> c.reloads.successorTakesOver(e))
            .on(EnumSet.of(BACKOFF),                     Kind.STANDBY_RUNNING,  (c, e) -> c.main.promoteWaitingStandby())
            .on(EnumSet.complementOf(EnumSet.of(BACKOFF)), Kind.STANDBY_RUNNING, (c, e) -> c.main.standbyRunning())
            .on(ANY,                                     Kind.STANDBY_ENDED,    (c, e) -> c.main.standbyEnded(e))
            .on(ANY,                                     Kind.STANDBY_DUE,      (c, e) -> c.main.standbyDue())
            .on(ANY,                                     Kind.RETIRED_ENDED,    (c, e) -> c.main.retiredEnded(e));
    // Not in the table, so ignored: a main child killed during a reload or a standby killed (their ends decide), a
    // second stop, and a child that runs once the state has moved on.

    final SupervisorSettings settings;
    final ChildLauncher launcher;
    final Prober prober;
    final EventLoop loop;
    final ChildTimings timings;
    final SupervisorEvents events;
    final RestartBook book;
    final StandbySlot standby;
    final RetiredChildren retired = new RetiredChildren();
    final Answers answers = new Answers();
    private final MainChildActions main;
    private final ReloadActions reloads;
    /** Every child not yet ended, by launch number: where a child's events go. */
    private final Map<Long, ChildLifecycle> children = new HashMap<>();
    private long launches;
    private SupervisorState state = STOPPED;
    private long epoch;
    private long sinceEpochMillis;
    ChildLifecycle mainChild;
    Duration nextRestartDelay;
    boolean stopDone;

    Coordinator(SupervisorSettings settings, ChildLauncher launcher, Prober prober, EventLoop loop) {
        this.settings = settings;
        this.launcher = launcher;
        this.prober = prober;
        this.loop = loop;
        this.timings = ChildTimings.of(settings);
        this.events = new SupervisorEvents(loop::epochMillis);
        this.book = new RestartBook(new CrashLoop(settings.restarts().startLimit().burst(),
                settings.restarts().startLimit().interval(), settings.restarts().backoff()), events);
        this.standby = new StandbySlot(settings.listener().standby() > 0);
        this.main = new MainChildActions(this);
        this.reloads = new ReloadActions(this);
        this.sinceEpochMillis = loop.epochMillis();
    }

    /** Handles one event: a child's event goes to its lifecycle first, and what that reports to the table. */
    void handle(Event event) {
        if (event instanceof ChildTimer || event instanceof ChildProbe || event instanceof ChildExited) {
            long launch = launchOf(event);
            ChildLifecycle child = children.get(launch);
            if (child == null) {
                log.debug("Ignoring {}: that child has ended", event);
                return;
            }
            Optional<Event> report = child.on(event);
            if (child.ended()) {
                children.remove(launch);
            }
            report.ifPresent(this::act);
            return;
        }
        act(event);
    }

    private void act(Event event) {
        if (event instanceof RestartDue due && due.epoch() != epoch
                || event instanceof MainReadiness answer && answer.epoch() != epoch) {
            log.debug("Ignoring {} from an earlier state", event);
            return;
        }
        Kind kind = kindOf(event);
        TABLE.find(state, kind).ifPresentOrElse(action -> action.run(this, event),
                () -> log.debug("Nothing to do for {} in {}", event, state));
    }

    private static long launchOf(Event event) {
        if (event instanceof ChildTimer timer) {
            return timer.launch();
        }
        if (event instanceof ChildProbe probe) {
            return probe.launch();
        }
        return ((ChildExited) event).launch();
    }

    private static Kind kindOf(Event event) {
        if (event instanceof ChildRunning running) {
            return about(running.child().role(), Kind.MAIN_RUNNING, Kind.SUCCESSOR_RUNNING, Kind.STANDBY_RUNNING, null);
        }
        if (event instanceof ChildKilled killed) {
            return about(killed.child().role(), Kind.MAIN_KILLED, Kind.SUCCESSOR_KILLED, Kind.STANDBY_KILLED, null);
        }
        if (event instanceof ChildEnded ended) {
            return about(ended.child().role(), Kind.MAIN_ENDED, Kind.SUCCESSOR_ENDED, Kind.STANDBY_ENDED,
                    Kind.RETIRED_ENDED);
        }
        if (event instanceof StartRequested) {
            return Kind.START;
        }
        if (event instanceof StopRequested) {
            return Kind.STOP;
        }
        if (event instanceof ReloadRequested) {
            return Kind.RELOAD;
        }
        if (event instanceof RestartDue) {
            return Kind.RESTART_DUE;
        }
        if (event instanceof StandbyDue) {
            return Kind.STANDBY_DUE;
        }
        return Kind.MAIN_READINESS;
    }

    private static Kind about(Role role, Kind main, Kind successor, Kind standby, Kind retired) {
        return switch (role) {
            case MAIN -> main;
            case SUCCESSOR -> successor;
            case STANDBY -> standby;
            case RETIRED -> retired;
        };
    }

    /** Launches a child in {@code role}; a launch that fails is a child that ended at once with 126. */
    ChildLifecycle launch(Role role, boolean besideAnother) {
        long launch = ++launches;
        Child child;
        try {
            child = launcher.launch(besideAnother);
        } catch (IOException e) {
            log.error("Cannot start a {} {}: {}", role.label(), launcher, e.toString());
            child = new NeverStarted(settings.child().admin().bind(), loop.nanoTime(), loop.epochMillis());
        }
        ChildLifecycle lifecycle = ChildLifecycle.follow(launch, child, role, timings, loop, prober);
        children.put(launch, lifecycle);
        return lifecycle;
    }

    void transition(SupervisorState to, String reason) {
        SupervisorState from = state;
        state = to;
        epoch++;
        sinceEpochMillis = loop.epochMillis();
        if (to != BACKOFF) {
            nextRestartDelay = null;
        }
        log.info("{} -> {} ({})", from, to, reason);
        reloads.stateChanged(to);
    }

    /** Posts {@code event} after {@code delay}, scoped to the state entered last. */
    void restartAfter(Duration delay) {
        loop.postAfter(delay, new RestartDue(epoch));
    }

    MainChildActions mainActions() {
        return main;
    }

    /** Begins one reload for the requests deferred while a proxy got ready. */
    void reloadsDeferred() {
        reloads.beginDeferred();
    }

    long epoch() {
        return epoch;
    }

    SupervisorState state() {
        return state;
    }

    /** Whether a stop has ended with no child left. */
    boolean stopped() {
        return stopDone;
    }

    /**
     * Where each child not yet ended answers its admin endpoints (the main child first): every proxy serving or
     * draining, and any that is starting.
     */
    List<HostPort> childAdmins() {
        List<HostPort> admins = new ArrayList<>();
        if (mainChild != null && !mainChild.ended()) {
            admins.add(mainChild.child().admin());
        }
        for (ChildLifecycle child : children.values()) {
            if (child != mainChild) {
                admins.add(child.child().admin());
            }
        }
        return List.copyOf(admins);
    }

    SupervisorStatus status(ListenerMode listener) {
        ChildLifecycle current = mainChild;
        if (current != null && current.running()) {
            book.stayedUp(current.child().startedNanos(), loop.nanoTime());
        }
        Optional<ChildLifecycle> waiting = standby.child();
        return new SupervisorStatus(state, sinceEpochMillis,
                current == null ? OptionalLong.empty() : OptionalLong.of(current.pid()),
                current == null ? OptionalLong.empty()
                        : OptionalLong.of(current.child().startedEpochMillis()),
                book.byReason(), book.lastExit(), Optional.ofNullable(nextRestartDelay), book.looping(),
                reloads.done(), retired.pids(),
                waiting.map(c -> OptionalLong.of(c.pid())).orElse(OptionalLong.empty()),
                standby.running(), listener);
    }

    static String format(Duration duration) {
        return ConfigText.duration(duration);
    }
}

package io.rebound.supervisor;

import io.rebound.supervisor.Event.ReloadRequested;
import io.rebound.supervisor.Event.StartRequested;
import io.rebound.config.HostPort;
import io.rebound.supervisor.Event.StopRequested;
import io.rebound.supervisor.history.SupervisorEvents;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a proxy process running, as systemd's {@code Restart=} keeps a service: starts it, waits for it to run, probes
 * its liveness, restarts it under the restart policy with crash-loop backoff, reloads it beside the running one, keeps
 * a warm standby ({@code standby = 1}), and stops it gracefully. The decisions are the {@link Coordinator}'s, each
 * child's life is a {@link ChildLifecycle}; this class runs them on one event loop thread and publishes an immutable
 * {@link SupervisorStatus} after every event.
 */
public final class Supervisor {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    private final EventLoop loop;
    private final Coordinator coordinator;
    private final ListenerMode listener;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile SupervisorStatus snapshot;
    private volatile List<HostPort> childAdmins = List.of();

    /** Supervises {@code command}; the listener mode is what its standard input says. */
    public Supervisor(SupervisorSettings settings, ChildCommand command) {
        this(settings, command, ListenerMode.of(command.input()));
    }

    /** Supervises {@code command}, whose traffic socket is shared or not as {@code listener} says, and why. */
    public Supervisor(SupervisorSettings settings, ChildCommand command, ListenerMode listener) {
        this(settings, new ProcessLauncher(command, settings.child().admin().bind()), new HealthProbe(settings.child().admin().token()),
                ExecutorEventLoop::new, listener);
    }

    /** With the children, probes and loop given: the tests' fakes, or the real ones. */
    Supervisor(SupervisorSettings settings, ChildLauncher launcher, Prober prober,
            Function<Consumer<Event>, EventLoop> loops, ListenerMode listener) {
        Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.loop = loops.apply(this::handle);
        this.coordinator = new Coordinator(settings, launcher, prober, loop);
        publish();
    }

    /** Starts the first child. */
    public void start() {
        loop.post(new StartRequested());
    }

    /**
     * Stops gracefully: SIGTERM to every child, SIGKILL after the stop timeout; no restart happens during a stop.
     *
     * @return completes once no child process is left
     */
    public CompletableFuture<Void> stop(String reason) {
        loop.post(new StopRequested(reason));
        return stopped();
    }

    /**
     * Starts a new child with the configuration as it is on disk now, which the caller has validated, on the same
     * listening socket; once it runs, the running child is sent SIGTERM and drains.
     *
     * @return completes with the outcome; never exceptionally
     */
    public CompletableFuture<ReloadOutcome> reload(String reason) {
        CompletableFuture<ReloadOutcome> result = new CompletableFuture<>();
        if (loop.isShutdown()) {
            result.complete(ReloadOutcome.refused("the supervisor has stopped"));
        } else {
            loop.post(new ReloadRequested(reason, result));
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

    private void handle(Event event) {
        try {
            coordinator.handle(event);
        } catch (RuntimeException e) {
            log.error("Supervisor failed to handle {} in state {}", event, coordinator.state(), e);
        }
        publish();
        coordinator.answers.giveAll();
        if (coordinator.stopped() && !stopped.isDone()) {
            loop.shutdown();
            stopped.complete(null);
        }
    }

    /** The timeline of restarts and reloads, for the status page. */
    public SupervisorEvents events() {
        return coordinator.events;
    }

    /** Where every child process not yet ended answers its admin endpoints, the main child first. */
    public List<HostPort> childAdmins() {
        return childAdmins;
    }

    private void publish() {
        snapshot = coordinator.status(listener);
        childAdmins = coordinator.childAdmins();
    }
}

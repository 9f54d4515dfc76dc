package io.rebound.runtime;

import io.rebound.balance.Server;
import io.rebound.balance.ServerPool;
import io.rebound.balance.ServerState;
import io.rebound.check.HealthChecker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's side of runtime server control: applies a {@link RuntimeState} to its servers (their runtime state,
 * weight and checks), whether read from the supervisor's state file at start or pushed by the supervisor later. A
 * state older than the one applied is ignored, so the file and a push may arrive in either order. The supervisor owns
 * the state; a proxy only follows it.
 */
public final class RuntimeControl {
    private static final Logger log = LoggerFactory.getLogger(RuntimeControl.class);

    private final ServerPool pool;
    private final HealthChecker checker;
    /** Closes the server's idle pooled connections: a drained server or one in maintenance keeps none. */
    private final Consumer<Server> closeIdle;
    private RuntimeState applied = RuntimeState.EMPTY;

    public RuntimeControl(ServerPool pool, HealthChecker checker, Consumer<Server> closeIdle) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.checker = Objects.requireNonNull(checker, "checker");
        this.closeIdle = Objects.requireNonNull(closeIdle, "closeIdle");
    }

    /**
     * Applies the state in {@code file}, if there is one; one that cannot be read is logged and leaves every server
     * ready (the supervisor pushes the state again with its next change).
     */
    public void load(Path file) {
        try {
            RuntimeStateFile.read(file).ifPresent(state -> apply(state, "state file " + file));
        } catch (IOException | IllegalArgumentException e) {
            log.error("Cannot read the runtime state file {}: {}; every server starts ready", file, e.getMessage());
        }
    }

    /**
     * Applies {@code state} unless a newer one is applied already; names of servers this proxy does not have (a
     * reload is changing the list) are ignored.
     *
     * @return the generation applied now
     */
    public synchronized long apply(RuntimeState state, String source) {
        if (state.generation() <= applied.generation() && applied != RuntimeState.EMPTY) {
            return applied.generation();
        }
        for (Server server : pool.all()) {
            change(server, state.of(server.name()), source);
        }
        applied = state;
        return state.generation();
    }

    public synchronized RuntimeState applied() {
        return applied;
    }

    private void change(Server server, ServerRuntime next, String source) {
        int weight = next.weight().orElse(server.settings().weight());
        if (weight != server.weight()) {
            log.info("Server {} weight {} -> {} ({})", server.name(), server.weight(), weight, source);
            server.setWeight(weight);
        }
        ServerState before = pool.state(server);
        if (before == next.state()) {
            return;
        }
        int taking = pool.setState(server, next.state());
        // Logged before the checker hears of it: the check that ready starts logs its outcome after this line.
        log.info("Server {} {} -> {} ({}): {}, {} of {} servers take requests", server.name(),
                before.name(), next.state().name(), source, consequence(server, next.state()), taking,
                pool.all().size());
        checker.stateChanged(server, before, next.state());
        if (next.state() != ServerState.READY) {
            // Its next request may be after a restart (a deploy): an idle connection would be to the old process.
            closeIdle.accept(server);
        }
    }

    private static String consequence(Server server, ServerState state) {
        return switch (state) {
            case READY -> server.settings().check() ? "takes requests again once its next check passes"
                    : "takes requests again";
            case DRAIN -> "no new requests, " + server.inFlight() + " in flight finish";
            case MAINT -> "no requests and no checks, " + server.inFlight() + " in flight finish";
        };
    }
}

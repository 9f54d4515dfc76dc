package io.rebound.supervisor.runtime;

import io.rebound.balance.ServerSettings;
import io.rebound.balance.ServerState;
import io.rebound.config.HostPort;
import io.rebound.runtime.RuntimeState;
import io.rebound.runtime.RuntimeStateFile;
import io.rebound.runtime.StateDirectory;
import io.rebound.runtime.ServerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime state of the servers, held by the supervisor (HAProxy: {@code set server ... state}, {@code set weight}
 * with a {@code server-state-file}): every change is checked against the configured servers, written to the state
 * file atomically, logged once with its source, then pushed to every proxy child. Each proxy the supervisor starts
 * gets the file's path, so the state survives a proxy crash, a reload and a restart of the supervisor.
 */
public final class ServerControl {
    private static final Logger log = LoggerFactory.getLogger(ServerControl.class);

    private final Path file;
    private final Supplier<List<HostPort>> children;
    private final ChildProxies proxies;
    private List<ServerSettings> servers;
    private RuntimeState state;

    private ServerControl(Path file, List<ServerSettings> servers, RuntimeState state,
            Supplier<List<HostPort>> children, ChildProxies proxies) {
        this.file = file;
        this.servers = List.copyOf(servers);
        this.state = state;
        this.children = children;
        this.proxies = proxies;
    }

    /**
     * Reads the state file (none: every server ready) and drops the state of servers no longer configured. A file
     * that cannot be read is set aside as {@code <file>.corrupt} and every server starts ready: a state file must
     * never keep the proxy from serving.
     */
    public static ServerControl open(Path file, List<ServerSettings> servers, Supplier<List<HostPort>> children,
            ChildProxies proxies) {
        Objects.requireNonNull(file, "file");
        RuntimeState read = RuntimeState.EMPTY;
        Optional<String> unusable = StateDirectory.problem(file.toAbsolutePath().getParent());
        try {
            if (unusable.isPresent()) {
                log.error("Runtime state file {} not used: {}; every server starts ready, and changes are refused",
                        file, unusable.get());
            } else {
                read = RuntimeStateFile.read(file).orElse(RuntimeState.EMPTY);
            }
        } catch (IOException | IllegalArgumentException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
            log.error("Runtime state file {} cannot be read ({}); every server starts ready; the file is kept as {}",
                    file, e.getMessage(), aside);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                log.error("Cannot move {} aside: {}", file, moveFailed.toString());
            }
        }
        ServerControl control = new ServerControl(file, servers, read, children, proxies);
        control.retainConfigured("start");
        String notReady = control.state.notReady();
        log.info("Runtime state of the servers in {}: {}", file, notReady.isEmpty() ? "all ready" : notReady);
        return control;
    }

    /** What changed, if anything: the server before and after. */
    public record Change(ServerRuntime before, ServerRuntime after, long generation, int proxiesTold) {
        public boolean changed() {
            return !before.equals(after);
        }
    }

    /** A name that is no configured server; nothing was changed. */
    public static final class UnknownServerException extends RuntimeException {
        UnknownServerException(String message) {
            super(message);
        }
    }

    /**
     * Sets the state of server {@code name}.
     *
     * @throws UnknownServerException when no configured server has that name
     * @throws IOException when the state file cannot be written (nothing changed)
     */
    public Change setState(String name, ServerState next, String source) throws IOException {
        return change(name, server -> server.withState(next), source);
    }

    /**
     * Sets the weight of server {@code name}; its configured weight clears the one set before.
     *
     * @throws UnknownServerException when no configured server has that name
     * @throws IllegalArgumentException when the weight is out of range (nothing changed)
     * @throws IOException when the state file cannot be written (nothing changed)
     */
    public Change setWeight(String name, int weight, String source) throws IOException {
        if (weight < 1 || weight > ServerSettings.MAX_WEIGHT) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: 1-" + ServerSettings.MAX_WEIGHT + ")");
        }
        return change(name, server -> weight == configuredWeight(name) ? server.withoutWeight()
                : server.withWeight(weight), source);
    }

    private Change change(String name, UnaryOperator<ServerRuntime> how, String source) throws IOException {
        ServerRuntime before;
        ServerRuntime after;
        RuntimeState next;
        synchronized (this) {
            requireConfigured(name);
            before = state.of(name);
            after = how.apply(before);
            if (after.equals(before)) {
                log.info("Server {}: {} already ({})", name, before.describe(), source);
                return new Change(before, after, state.generation(), 0);
            }
            next = state.with(after);
            write(next);
            state = next;
            log.info("Server {}: {} -> {} ({})", name, before.describe(), after.describe(), source);
        }
        return new Change(before, after, next.generation(), proxies.push(children.get(), next));
    }

    /**
     * A reload replaced the servers with {@code next}: the state of servers no longer configured is dropped.
     *
     * @return the servers that are not ready, as "apache2 drain, apache3 maint", for the reload's log line
     */
    public String reloaded(List<ServerSettings> next) {
        RuntimeState pushed;
        synchronized (this) {
            servers = List.copyOf(next);
            RuntimeState before = state;
            retainConfigured("reload");
            if (state == before) {
                return state.notReady();
            }
            pushed = state;
        }
        // Called as a reload completes, on the supervisor's event loop: the push must not hold it up.
        CompletableFuture.runAsync(() -> proxies.push(children.get(), pushed));
        return pushed.notReady();
    }

    private void retainConfigured(String why) {
        Set<String> names = names();
        RuntimeState kept = state.retainOnly(names);
        if (kept == state) {
            return;
        }
        Set<String> dropped = new LinkedHashSet<>(state.servers().keySet());
        dropped.removeAll(names);
        try {
            write(kept);
        } catch (IOException e) {
            log.error("Cannot write the runtime state file {}: {}", file, e.toString());
        }
        log.info("Runtime state of {} dropped at {}: no such server configured now", String.join(", ", dropped), why);
        state = kept;
    }

    /** Writes the state file, unless its directory is not safe to use (then nothing is written). */
    private void write(RuntimeState next) throws IOException {
        Optional<String> unusable = StateDirectory.problem(file.toAbsolutePath().getParent());
        if (unusable.isPresent()) {
            throw new IOException(unusable.get());
        }
        RuntimeStateFile.write(file, next);
    }

    /** Why the state file cannot be used now, if it cannot: shown by {@code GET /servers}. */
    public Optional<String> fileProblem() {
        return StateDirectory.problem(file.toAbsolutePath().getParent());
    }

    private void requireConfigured(String name) {
        if (!names().contains(name)) {
            throw new UnknownServerException("server: '" + name + "' (expected: one of "
                    + String.join(", ", names()) + ")");
        }
    }

    private synchronized int configuredWeight(String name) {
        return servers.stream().filter(server -> server.name().equals(name)).mapToInt(ServerSettings::weight)
                .findFirst().orElse(-1);
    }

    private Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        servers.forEach(server -> names.add(server.name()));
        return names;
    }

    public synchronized RuntimeState state() {
        return state;
    }

    public synchronized List<ServerSettings> servers() {
        return servers;
    }

    public Path file() {
        return file;
    }

    /** The {@code /servers} JSON of every proxy child that answers, the main child's first. */
    List<String> proxyServers() {
        return proxies.servers(children.get());
    }
}

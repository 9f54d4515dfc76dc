package io.rebound.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebound from the packaged distribution, as real processes: {@code bin/rebound run --config FILE} (the supervisor)
 * and the proxy child it starts. The generated config file's path is in both command lines and serves as this
 * instance's marker: {@link #close()} ends the supervisor and then kills any process left that carries the marker,
 * so no drill leaves a process behind, whatever it did to them and whether it passed or failed.
 */
final class ReboundProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReboundProcess.class);
    /** What `pgrep -f` looks for to find the proxy, as docs/design.md tells operators. */
    static final String PROXY_MAIN_CLASS = "io.rebound.proxy.ProxyMain";
    /** Two JVM start-ups and the first round of checks, on a busy 2-core machine. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** The supervisor's own graceful stop: the proxy's drain plus JVM exits, with room to spare. */
    static final Duration STOP_TIMEOUT = ReboundConfig.DRAIN_TIMEOUT.plusSeconds(14);

    private final ReboundConfig config;
    private final Path configFile;
    private final Path log;
    private final Process supervisor;
    private final Thread killOnExit;

    private ReboundProcess(ReboundConfig config, Path configFile, Path log, Process supervisor) {
        this.config = config;
        this.configFile = configFile;
        this.log = log;
        this.supervisor = supervisor;
        this.killOnExit = new Thread(this::killEverything, "kill-rebound-" + supervisor.pid());
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts {@code rebound run}; returns once the proxy is ready and every configured server is up. */
    static ReboundProcess start(String drill, ReboundConfig config) {
        return start(drill, config, List.of());
    }

    /**
     * Starts {@code rebound run} through {@code wrapper} (a command that ends by exec'ing its arguments, so the
     * supervisor keeps the pid this class knows); returns once the proxy is ready and every configured server is up.
     */
    static ReboundProcess start(String drill, ReboundConfig config, List<String> wrapper) {
        Path launcher = Distribution.launcher();
        Path dir = WorkDir.create(drill);
        Path configFile = dir.resolve("rebound.conf");
        Path log = dir.resolve("rebound-run.log");
        Process supervisor;
        try {
            Files.writeString(configFile, config.render(), StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(wrapper);
            command.addAll(List.of(launcher.toString(), "run", "--config", configFile.toString()));
            supervisor = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + launcher + " run", e);
        }
        LOG.info("rebound run started: pid {}, config {}, log {}", supervisor.pid(), configFile, log);
        ReboundProcess rebound = new ReboundProcess(config, configFile, log, supervisor);
        try {
            rebound.awaitReady();
            new ProxyAdmin(config.adminPort()).awaitAllUp(config.servers(), START_TIMEOUT);
            return rebound;
        } catch (RuntimeException | AssertionError e) {
            rebound.close();
            throw e;
        }
    }

    ReboundConfig config() {
        return config;
    }

    int proxyPort() {
        return config.proxyPort();
    }

    ProxyAdmin proxyAdmin() {
        return new ProxyAdmin(config.adminPort());
    }

    SupervisorAdmin supervisorAdmin() {
        return new SupervisorAdmin(config.supervisorAdminPort());
    }

    Path log() {
        return log;
    }

    long supervisorPid() {
        return supervisor.pid();
    }

    /** The proxy's pid as an operator finds it: {@code pgrep -af io.rebound.proxy.ProxyMain}, this config's line. */
    List<Long> proxyPids() {
        return OsProcesses.pgrep(PROXY_MAIN_CLASS, configFile.toString()).stream()
                .map(OsProcesses.Listed::pid).toList();
    }

    /** The one proxy process of this instance; fails if there is none or more than one. */
    long proxyPid() {
        List<Long> pids = proxyPids();
        if (pids.size() != 1) {
            throw new AssertionError("expected one proxy process for " + configFile + ", found " + pids);
        }
        return pids.get(0);
    }

    /** Every live process of this instance (supervisor, proxy, strays), found by the config path in its command line. */
    List<Long> allPids() {
        return OsProcesses.pgrep(configFile.toString(), configFile.toString()).stream()
                .map(OsProcesses.Listed::pid).toList();
    }

    /** {@code bin/rebound status --config FILE}, as an operator runs it. */
    CommandResult status() {
        return OsProcesses.run(Distribution.launcher().toString(), "status", "--config", configFile.toString());
    }

    /** {@code bin/rebound reload --config FILE}, as an operator (or systemctl reload) runs it. */
    CommandResult reload() {
        return OsProcesses.run(Distribution.launcher().toString(), "reload", "--config", configFile.toString());
    }

    /**
     * {@code bin/rebound server ARGS... --config FILE} ({@code drain NAME --wait 30s}, {@code ready NAME}, ...), as an
     * operator or a deploy script runs it; at most {@code timeout}.
     */
    CommandResult server(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of(Distribution.launcher().toString(), "server"));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", configFile.toString()));
        return OsProcesses.run(timeout, command.toArray(String[]::new));
    }

    /** Sends a signal ("TERM", "KILL", ...) to the supervisor, as {@code kill -s SIGNAL} would. */
    void signalSupervisor(String signal) {
        OsProcesses.kill(signal, supervisor.pid());
    }

    /** The supervisor's exit code once it has exited within {@code timeout}, else empty. */
    Optional<Integer> awaitSupervisorExit(Duration timeout) {
        try {
            return supervisor.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    ? Optional.of(supervisor.exitValue()) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the supervisor to exit", e);
        }
    }

    /** The last lines of the supervisor's log (which carries the proxy's lines too), for failure messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Graceful stop (SIGTERM, as systemd does), then SIGKILL to whatever carries this instance's marker. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        if (supervisor.isAlive()) {
            supervisor.destroy();
            if (awaitSupervisorExit(STOP_TIMEOUT).isEmpty()) {
                LOG.warn("supervisor {} did not stop within {} s after SIGTERM; killing", supervisor.pid(),
                        STOP_TIMEOUT.toSeconds());
            }
        }
        killEverything();
    }

    private void killEverything() {
        supervisor.destroyForcibly();
        for (long pid : allPids()) {
            LOG.warn("killing leftover Rebound process {} of {}", pid, configFile);
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        await("no process of " + configFile + " left")
                .atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> allPids().isEmpty());
    }

    private void awaitReady() {
        await("rebound run (pid " + supervisor.pid() + ") ready on /health/ready of 127.0.0.1:"
                        + config.adminPort())
                .atMost(START_TIMEOUT).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> {
                    if (!supervisor.isAlive()) {
                        throw new AssertionError("rebound run exited with " + supervisor.exitValue()
                                + " before the proxy was ready; log " + log + ":\n" + logTail(40));
                    }
                    return proxyAdmin().readyStatus() == 200;
                });
    }
}

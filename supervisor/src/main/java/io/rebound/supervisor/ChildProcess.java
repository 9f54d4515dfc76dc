package io.rebound.supervisor;

import io.rebound.config.HostPort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running child process. This is the one place children are launched: standard input is either a pipe the
 * supervisor holds open and never writes (its end-of-file, which the supervisor's death causes, tells the child to
 * exit, so no orphan keeps the ports) or the supervisor's own standard input, the shared listening socket (see
 * {@link ChildInput}); standard output and error are logged line by line tagged {@code [proxy <pid>]}.
 */
final class ChildProcess implements Child {
    private static final Logger OUTPUT = LoggerFactory.getLogger("io.rebound.supervisor.child");

    private final Process process;
    private final HostPort admin;
    private final long pid;
    private final long startedNanos;
    private final long startedEpochMillis;
    private final CompletableFuture<ChildExit> exit;

    private ChildProcess(Process process, HostPort admin, long startedNanos, long startedEpochMillis) {
        this.process = process;
        this.admin = admin;
        this.pid = process.pid();
        this.startedNanos = startedNanos;
        this.startedEpochMillis = startedEpochMillis;
        this.exit = process.onExit().thenApply(ended -> {
            closeQuietly(ended.getOutputStream());
            return new ChildExit(pid, ended.exitValue(), System.currentTimeMillis());
        });
    }

    /**
     * Starts {@code command}, whose health endpoints will answer at {@code admin}.
     *
     * @throws IOException when the program cannot be executed
     */
    static ChildProcess start(ChildCommand command, HostPort admin) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command.command())
                .directory(command.directory().toFile())
                .redirectInput(command.input() == ChildInput.PIPE ? ProcessBuilder.Redirect.PIPE
                        : ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        long startedNanos = System.nanoTime();
        long startedEpochMillis = System.currentTimeMillis();
        Process process = builder.start();
        forward(process.getInputStream(), process.pid(), false);
        forward(process.getErrorStream(), process.pid(), true);
        return new ChildProcess(process, admin, startedNanos, startedEpochMillis);
    }

    @Override
    public long pid() {
        return pid;
    }

    /** Where its health endpoints answer. */
    @Override
    public HostPort admin() {
        return admin;
    }

    /** {@link System#nanoTime()} at launch. */
    @Override
    public long startedNanos() {
        return startedNanos;
    }

    @Override
    public long startedEpochMillis() {
        return startedEpochMillis;
    }

    /** Completes when the process has ended (and was reaped). */
    @Override
    public CompletableFuture<ChildExit> exit() {
        return exit;
    }

    /**
     * SIGTERM: the proxy drains and exits 0. Sent through the {@link ProcessHandle}: {@link Process#destroy()} would
     * also close the pipes, and the end-of-file on its standard input would tell the proxy that the supervisor is
     * gone (a 500 ms drain instead of the configured one), and its last log lines would be lost.
     */
    @Override
    public void terminate() {
        process.toHandle().destroy();
    }

    /** SIGKILL: also ends a process stopped with SIGSTOP. Keeps the pipes open for the last lines of output. */
    @Override
    public void kill() {
        process.toHandle().destroyForcibly();
    }

    private static void forward(InputStream stream, long pid, boolean stderr) {
        Thread thread = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (stderr) {
                        OUTPUT.warn("[proxy {}] {}", pid, line);
                    } else {
                        OUTPUT.info("[proxy {}] {}", pid, line);
                    }
                }
            } catch (IOException e) {
                OUTPUT.debug("[proxy {}] output closed: {}", pid, e.toString());
            }
        }, "proxy-" + pid + (stderr ? "-stderr" : "-stdout"));
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            OUTPUT.debug("closing the stdin pipe of an ended child: {}", e.toString());
        }
    }
}

package io.rebound.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code io.rebound.proxy.ProxyMain} as a real child process, on this test's class path; output is collected. */
public final class ChildProxy implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Proxy listening on /127\\.0\\.0\\.1:(\\d+)");
    private final Process process;
    private final List<String> output = new ArrayList<>();

    private ChildProxy(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            } catch (IOException e) {
                // the process is gone; what was read is kept
            }
        }, "child-proxy-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static ChildProxy start(Path config, String... extraArgs) throws IOException {
        return start(Map.of(), config, extraArgs);
    }

    /** Starts the proxy with {@code environment} added to this process's environment. */
    public static ChildProxy start(Map<String, String> environment, Path config, String... extraArgs)
            throws IOException {
        return start(environment, "-Xmx128m", config, extraArgs);
    }

    /** Starts the proxy in a JVM with at most {@code maxHeap} of heap, such as {@code -Xmx64m}. */
    public static ChildProxy start(Map<String, String> environment, String maxHeap, Path config, String... extraArgs)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), maxHeap, "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                "io.rebound.proxy.ProxyMain", "--config", config.toString()));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new ChildProxy(builder.start());
    }

    public Process process() {
        return process;
    }

    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    public void awaitOutput(String text, Duration timeout) {
        try {
            await("the child prints '" + text + "'").atMost(timeout).until(() -> output().contains(text));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; alive: " + process.isAlive() + "; output:\n" + output(), e);
        }
    }

    /** The traffic port the child logged once started. */
    public int trafficPort() {
        awaitOutput("Rebound proxy started", Duration.ofSeconds(20));
        Matcher matcher = LISTENING.matcher(output());
        if (!matcher.find()) {
            throw new AssertionError("no listening line in:\n" + output());
        }
        return Integer.parseInt(matcher.group(1));
    }

    /**
     * Sends SIGTERM through the process handle: {@code Process.destroy()} would also close our end of the child's
     * output, losing what it prints while it stops.
     */
    public void sigterm() {
        process.toHandle().destroy();
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the child did not exit within " + timeout.toMillis() + " ms; output:\n"
                    + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.rebound.supervisor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the proxy child: a small JVM that serves {@code /health/live}, {@code /health/started} and
 * {@code /health/ready} on its admin port and misbehaves as its arguments say. Like the proxy with
 * {@code --supervised}, it exits when its standard input reaches end-of-file, and exits 0 on SIGTERM.
 *
 * <pre>
 * --admin-port N        port of the health endpoints on 127.0.0.1 (required)
 * --exit-after-ms N     exit by itself N ms after start ...
 * --exit-code X         ... with this exit code (default 1)
 * --never-ready         /health/ready answers 503 forever
 * --ready-after-ms N    /health/ready answers 503 for the first N ms
 * --started             with --never-ready: /health/started answers 200 (default: 503 while not ready)
 * --ignore-sigterm      SIGTERM does nothing
 * --term-delay-ms N     on SIGTERM, "drain" N ms, then exit 0
 * --max-life-ms N       safety net: exit 3 after N ms whatever happens (default 120000), so no test leaks it
 * </pre>
 */
public final class StandInChild {

    private StandInChild() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = parse(args);
        int port = Integer.parseInt(require(options, "--admin-port"));
        boolean ready = !options.containsKey("--never-ready");
        boolean started = ready || options.containsKey("--started");
        long readyAt = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(options.getOrDefault("--ready-after-ms", "0")));
        exitAfter(Long.parseLong(options.getOrDefault("--max-life-ms", "120000")), 3);
        if (options.containsKey("--exit-after-ms")) {
            exitAfter(Long.parseLong(options.get("--exit-after-ms")),
                    Integer.parseInt(options.getOrDefault("--exit-code", "1")));
        }
        onSigterm(options.containsKey("--ignore-sigterm"),
                Long.parseLong(options.getOrDefault("--term-delay-ms", "0")));
        exitOnEndOfInput();

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.setExecutor(Executors.newFixedThreadPool(2, daemon("stand-in-http")));
        server.createContext("/health/live", exchange -> answer(exchange, true, "live"));
        server.createContext("/health/started", exchange -> answer(exchange, started, "started"));
        server.createContext("/health/ready",
                exchange -> answer(exchange, ready && System.nanoTime() - readyAt >= 0, "ready"));
        server.start();
        System.out.println("stand-in child pid " + ProcessHandle.current().pid() + " serving on port " + port + ", "
                + options);
    }

    private static void answer(HttpExchange exchange, boolean ok, String what) throws IOException {
        byte[] body = ((ok ? "" : "not ") + what + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void exitAfter(long millis, int code) {
        Executors.newSingleThreadScheduledExecutor(daemon("stand-in-exit")).schedule(() -> {
            System.out.println("stand-in child exiting with " + code);
            Runtime.getRuntime().halt(code);
        }, millis, TimeUnit.MILLISECONDS);
    }

    private static void onSigterm(boolean ignore, long drainMillis) {
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> {
            if (ignore) {
                System.out.println("stand-in child ignores SIGTERM");
                return;
            }
            exitAfter(drainMillis, 0);
        });
    }

    private static void exitOnEndOfInput() {
        Thread reader = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() != -1) {
                    // the supervisor never writes; wait for end-of-file
                }
            } catch (IOException e) {
                System.out.println("stand-in child: stdin failed: " + e);
            }
            System.out.println("stand-in child: stdin closed, exiting");
            Runtime.getRuntime().halt(0);
        }, "stand-in-stdin");
        reader.setDaemon(true);
        reader.start();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            boolean hasValue = i + 1 < args.length && !args[i + 1].startsWith("--");
            options.put(args[i], hasValue ? args[++i] : "");
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}

package io.rebound.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * One HTTP request on a new connection every 10 ms, bounded by {@link #MAX_PROBES}, until stopped; each is
 * {@link Outcome#ANSWERED} (200 and the demo body), {@link Outcome#REFUSED} (connection refused) or
 * {@link Outcome#FAILED} (anything else).
 */
final class Probe {
    /** A probe every 10 ms for at most this many connections: 60 s of probing at the very most. */
    private static final int MAX_PROBES = 6000;

    enum Outcome { ANSWERED, REFUSED, FAILED }

    record Attempt(long startedNanos, long tookNanos, Outcome outcome, String detail) {
    }

    private final int port;
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();

    Probe(int port) {
        this.port = port;
    }

    /** Something done to the proxies while the probe runs. */
    @FunctionalInterface
    interface Drill {
        void run() throws Exception;
    }

    /**
     * Probes {@code port} across {@code drill}: waits for 10 answers, runs the drill, waits for 10 more answers, and
     * returns the stopped probe; each wait is bounded by {@code bound}.
     */
    static Probe across(int port, Duration bound, Drill drill) throws Exception {
        Probe probe = new Probe(port);
        CompletableFuture<Void> probing = CompletableFuture.runAsync(probe::run);
        try {
            await("answers before the drill").atMost(bound)
                    .untilAsserted(() -> assertTrue(probe.answered() >= 10, () -> "last seen: " + probe.summary()));
            drill.run();
            long before = probe.answered();
            await("answers after the drill").atMost(bound)
                    .untilAsserted(() -> assertTrue(probe.answered() >= before + 10,
                            () -> "last seen: " + probe.summary()));
        } finally {
            probe.stop();
        }
        probing.get(bound.toSeconds(), TimeUnit.SECONDS);
        return probe;
    }

    void run() {
        for (int i = 0; i < MAX_PROBES && !stopped.get(); i++) {
            long started = System.nanoTime();
            String[] detail = new String[1];
            Outcome outcome = once(port, detail);
            attempts.add(new Attempt(started, System.nanoTime() - started, outcome, detail[0]));
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static Outcome once(int port) {
        return once(port, new String[1]);
    }

    private static Outcome once(int port, String[] detail) {
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            } catch (ConnectException e) {
                detail[0] = e.toString();
                return Outcome.REFUSED;
            }
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            detail[0] = response.lines().findFirst().orElse("(empty)");
            return response.startsWith("HTTP/1.1 200") && response.endsWith("This is apache1\n")
                    ? Outcome.ANSWERED : Outcome.FAILED;
        } catch (IOException e) {
            detail[0] = e.toString();
            return Outcome.FAILED;
        }
    }

    void stop() {
        stopped.set(true);
    }

    long answered() {
        return count(Outcome.ANSWERED, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    long answeredAfter(long nanos) {
        return count(Outcome.ANSWERED, nanos, Long.MAX_VALUE);
    }

    long refused() {
        return count(Outcome.REFUSED, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    long failed() {
        return count(Outcome.FAILED, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    long failedBetween(long from, long to) {
        return count(Outcome.FAILED, from, to);
    }

    /**
     * Answered probes that were open at {@code gone} or started after it, and before {@code to}: a connection that
     * waited while no proxy ran (in the socket's queue, or connecting then) and got its answer from the next one.
     */
    long answeredAcross(long gone, long to) {
        return attempts.stream().filter(a -> a.outcome() == Outcome.ANSWERED)
                .filter(a -> a.startedNanos() < to && a.startedNanos() + a.tookNanos() > gone).count();
    }

    private long count(Outcome outcome, long from, long to) {
        return attempts.stream().filter(a -> a.outcome() == outcome)
                .filter(a -> a.startedNanos() >= from && a.startedNanos() < to).count();
    }

    /** The longest time an answered probe took, connection included. */
    long slowestAnswerMillis() {
        return attempts.stream().filter(a -> a.outcome() == Outcome.ANSWERED).mapToLong(Attempt::tookNanos).max()
                .orElse(0) / 1_000_000;
    }

    String summary() {
        return attempts.size() + " probes: " + answered() + " answered, " + refused() + " refused, " + failed()
                + " failed; not answered: " + attempts.stream().filter(a -> a.outcome() != Outcome.ANSWERED)
                .collect(Collectors.groupingBy(Attempt::detail, TreeMap::new, Collectors.counting()));
    }
}

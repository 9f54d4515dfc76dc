package io.rebound.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A client of a virtual address during failover drills: one thread sending {@code GET /} every 10 ms, each on a new
 * connection, as curl in a loop would. A short connect timeout, because a SYN to an address whose owner just died is
 * lost (the kernel would retry only after a second), and a client of a failover retries sooner. Bounded in count and
 * time; every outcome is kept with when it was sent and when it ended.
 */
final class VipProbe implements AutoCloseable {
    /** Between two looks: short against the drills' timings, long enough not to load the machine. */
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration PAUSE = Duration.ofMillis(10);
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(250);
    private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(2);

    /**
     * One request: sent and ended (System.nanoTime), whether a 200 came, and the body's last line (after another
     * status, the status line and that line), or the failure.
     */
    record Outcome(long sentAt, long endedAt, boolean ok, String detail) {
    }

    /** What clients lived through around one event; {@code failures} are the first few, as examples. */
    record Window(int requests, int failed, int refused, Duration outage, List<String> failures) {
        @Override
        public String toString() {
            return requests + " requests, " + failed + " failed (" + refused + " refused), longest gap between two "
                    + "answers " + outage.toMillis() + " ms";
        }
    }

    private final String host;
    private final int port;
    private final int maxRequests;
    private final long deadline;
    private final Duration readTimeout;
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    private VipProbe(String host, int port, int maxRequests, Duration maxDuration, Duration readTimeout) {
        this.host = host;
        this.port = port;
        this.maxRequests = maxRequests;
        this.deadline = System.nanoTime() + maxDuration.toNanos();
        this.readTimeout = readTimeout;
        this.thread = new Thread(this::run, "vip-probe-" + host);
        this.thread.setDaemon(true);
    }

    static VipProbe start(String host, int port, int maxRequests, Duration maxDuration) {
        return start(host, port, maxRequests, maxDuration, DEFAULT_READ_TIMEOUT);
    }

    /**
     * A probe whose client waits {@code readTimeout} for an answer: above the proxy's response timeout, so that a
     * request the proxy gives up on fails with the proxy's answer, not the client's timeout.
     */
    static VipProbe start(String host, int port, int maxRequests, Duration maxDuration, Duration readTimeout) {
        VipProbe probe = new VipProbe(host, port, maxRequests, maxDuration, readTimeout);
        probe.thread.start();
        return probe;
    }

    /** Waits until {@code count} requests sent after {@code since} got a 200; fails after {@code timeout}. */
    void awaitAnswers(long since, int count, Duration timeout) {
        awaitAnswers(since, count, null, timeout);
    }

    /**
     * Waits until {@code count} requests sent after {@code since} got a 200 whose body's last line is {@code body}
     * (any body when null); fails after {@code timeout}.
     */
    void awaitAnswers(long since, int count, String body, Duration timeout) {
        String which = body == null ? " answers" : " answers '" + body + "'";
        await(count + which + " through " + host + ":" + port).atMost(timeout)
                .pollInterval(POLL).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> {
            if (!thread.isAlive()) {
                throw new AssertionError("the probe ended (bounds reached) after " + outcomes.size() + " requests");
            }
            return outcomes.stream().filter(o -> o.sentAt() - since >= 0 && o.ok()
                    && (body == null || body.equals(o.detail()))).count() >= count;
        });
    }

    /** Every outcome so far, in the order the requests were sent. */
    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /**
     * The requests that ended after {@code from}: how many failed, and the longest time between two answers (what a
     * client waited at worst, also a slow answer; starting from the last answer before {@code from}).
     */
    Window window(long from) {
        List<Outcome> all = new ArrayList<>(outcomes);
        long lastAnswer = from;
        for (Outcome outcome : all) {
            if (outcome.ok() && outcome.endedAt() - from < 0) {
                lastAnswer = outcome.endedAt();
            }
        }
        int requests = 0;
        int failed = 0;
        int refused = 0;
        long longest = 0;
        List<String> failures = new ArrayList<>();
        for (Outcome outcome : all) {
            if (outcome.endedAt() - from < 0) {
                continue;
            }
            requests++;
            if (outcome.ok()) {
                longest = Math.max(longest, outcome.endedAt() - lastAnswer);
                lastAnswer = outcome.endedAt();
            } else {
                failed++;
                if (outcome.detail().contains("Connection refused")) {
                    refused++;
                }
                if (failures.size() < 5) {
                    failures.add(outcome.detail());
                }
            }
        }
        return new Window(requests, failed, refused, Duration.ofNanos(longest), failures);
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(readTimeout.plusSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (!stopped && outcomes.size() < maxRequests && System.nanoTime() - deadline < 0) {
            long sentAt = System.nanoTime();
            String detail;
            boolean ok;
            try {
                String response = get();
                ok = response.startsWith("HTTP/1.1 200");
                String body = response.lines().reduce((first, second) -> second).orElse("");
                detail = ok ? body : response.lines().findFirst().orElse("") + ": " + body;
            } catch (IOException e) {
                ok = false;
                detail = e.toString();
            }
            outcomes.add(new Outcome(sentAt, System.nanoTime(), ok, detail));
            try {
                TimeUnit.MILLISECONDS.sleep(PAUSE.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private String get() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), Math.toIntExact(CONNECT_TIMEOUT.toMillis()));
            socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}

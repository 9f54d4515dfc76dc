package io.rebound.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A steady, bounded client load during a drill: one thread sending GET / to the proxy, one request at a time, each on
 * a new connection, a short pause between requests; it stops by itself after {@code maxRequests} or
 * {@code maxDuration}, whichever comes first. Every outcome is kept with the time it was sent.
 */
final class SequentialLoad implements AutoCloseable {
    /** Pacing between requests: about 100 requests a second, steady traffic without loading two cores. */
    private static final Duration PAUSE = Duration.ofMillis(10);

    /** One request: when it was sent (System.nanoTime), and the answer or the client-side failure. */
    record Outcome(long sentAtNanos, HttpAnswer answer, Exception failure) {
        boolean ok() {
            return answer != null && answer.isOk();
        }

        String servedBy() {
            return answer == null ? null : answer.servedBy();
        }

        @Override
        public String toString() {
            return answer != null ? answer.status() + " " + answer.servedBy() + " in " + answer.took().toMillis()
                    + " ms" : String.valueOf(failure);
        }
    }

    private final int port;
    private final Duration requestTimeout;
    private final int maxRequests;
    private final long deadlineNanos;
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    private SequentialLoad(int port, Duration requestTimeout, int maxRequests, Duration maxDuration) {
        this.port = port;
        this.requestTimeout = requestTimeout;
        this.maxRequests = maxRequests;
        this.deadlineNanos = System.nanoTime() + maxDuration.toNanos();
        this.thread = new Thread(this::run, "sequential-load-" + port);
        this.thread.setDaemon(true);
    }

    static SequentialLoad start(int port, Duration requestTimeout, int maxRequests, Duration maxDuration) {
        SequentialLoad load = new SequentialLoad(port, requestTimeout, maxRequests, maxDuration);
        load.thread.start();
        return load;
    }

    /** How many requests have finished so far. */
    int count() {
        return outcomes.size();
    }

    /** The outcomes so far, in the order the requests were sent. */
    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Waits until {@code more} further requests have finished; fails if the load ended before. */
    void awaitMore(int more, Duration timeout) {
        int target = count() + more;
        await(more + " more requests through the proxy")
                .atMost(timeout).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> {
                    if (!thread.isAlive() && count() < target) {
                        throw new AssertionError("the load ended (bounds reached) after " + count() + " requests");
                    }
                    return count() >= target;
                });
    }

    /** Stops sending, waits for the request in flight, and returns every outcome. */
    List<Outcome> stop() {
        stopped = true;
        try {
            thread.join(requestTimeout.plusSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new AssertionError("the load thread did not stop");
        }
        return new ArrayList<>(outcomes);
    }

    @Override
    public void close() {
        stop();
    }

    private void run() {
        while (!stopped && outcomes.size() < maxRequests && System.nanoTime() - deadlineNanos < 0) {
            long sentAt = System.nanoTime();
            try {
                outcomes.add(new Outcome(sentAt, Http.get(port, "/", requestTimeout), null));
            } catch (Exception e) {
                outcomes.add(new Outcome(sentAt, null, e));
            }
            try {
                TimeUnit.MILLISECONDS.sleep(PAUSE.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}

package io.rebound.proxy;

import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Counts requests in flight so that a stop can wait for them. Once draining, requests that still arrive on open
 * keep-alive connections are served too, but their connection closes after the response (as HAProxy does during a
 * soft stop), instead of getting 503 as with Undertow's {@code GracefulShutdownHandler}.
 *
 * <p>A drain waits for the connections too, not only for the requests: a keep-alive connection closed by the proxy
 * while its client is sending the next request fails that request (a client such as wrk counts a read error). So the
 * drain lasts until no request is in flight and either every connection has closed after its last response, or no
 * request has come for {@link #IDLE_GRACE} (the connections left are idle; closing them is what any server does),
 * or the drain timeout has passed.
 */
final class DrainHandler implements HttpHandler {
    /** How long without a request the connections still open count as idle, during a drain. */
    static final Duration IDLE_GRACE = Duration.ofMillis(1000);
    private static final long POLL_MILLIS = 20;

    private final HttpHandler next;
    private final Object lock = new Object();
    private final ExchangeCompletionListener ended = this::ended;
    private int inFlight;
    private volatile boolean draining;
    /** {@link System#nanoTime()} of the latest request, kept only while draining (no cost on the usual path). */
    private volatile long lastRequestNanos;

    DrainHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        synchronized (lock) {
            inFlight++;
        }
        exchange.addExchangeCompleteListener(ended);
        if (draining) {
            exchange.setPersistent(false);
            lastRequestNanos = System.nanoTime();
        }
        next.handleRequest(exchange);
    }

    private void ended(HttpServerExchange exchange, ExchangeCompletionListener.NextListener next) {
        try {
            synchronized (lock) {
                inFlight--;
                if (inFlight == 0) {
                    lock.notifyAll();
                }
            }
        } finally {
            next.proceed();
        }
    }

    /**
     * Marks every further response as the last on its connection and waits until no request is in flight and the
     * connections ({@code openConnections}) are closed or idle, for at most {@code timeoutMillis}.
     *
     * @return false when the timeout passed first
     */
    boolean drain(long timeoutMillis, LongSupplier openConnections) throws InterruptedException {
        lastRequestNanos = System.nanoTime();
        draining = true;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (lock) {
            while (true) {
                long now = System.nanoTime();
                if (inFlight == 0 && (openConnections.getAsLong() == 0
                        || now - lastRequestNanos >= IDLE_GRACE.toNanos())) {
                    return true;
                }
                long remaining = (deadline - now) / 1_000_000;
                if (remaining <= 0) {
                    return false;
                }
                lock.wait(Math.min(remaining, POLL_MILLIS));
            }
        }
    }

    boolean draining() {
        return draining;
    }

    int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }
}

package io.rebound.proxy;

import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Counts requests in flight so that a stop can wait for them. Once draining, requests that still arrive on open
 * keep-alive connections are served too, but their connection closes after the response (as HAProxy does during a
 * soft stop), instead of getting 503 as with Undertow's {@code GracefulShutdownHandler}.
 */
final class DrainHandler implements HttpHandler {
    private final HttpHandler next;
    private final Object lock = new Object();
    private final ExchangeCompletionListener ended = this::ended;
    private int inFlight;
    private volatile boolean draining;

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

    /** Marks every further response as the last on its connection and waits until no request is in flight. */
    boolean drain(long timeoutMillis) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (lock) {
            while (inFlight > 0) {
                long remaining = (deadline - System.nanoTime()) / 1_000_000;
                if (remaining <= 0) {
                    return false;
                }
                lock.wait(remaining);
            }
            return true;
        }
    }

    int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }
}

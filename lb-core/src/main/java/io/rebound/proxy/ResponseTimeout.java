package io.rebound.proxy;

import io.undertow.UndertowLogger;
import io.undertow.client.ClientConnection;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.time.Duration;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;

/**
 * {@code timeouts.response}, in front of {@code ProxyHandler}: a request still in flight that long after it reached the
 * proxy handler is timed out. What happens then is what {@code ProxyHandler}'s own time limit ({@code maxRequestTime})
 * does: the time-out is logged as Undertow logs it, the server connection is closed, and the client gets 504, or, when
 * its response had started, its connection is closed. The difference is the cost: {@code ProxyHandler} puts a timer
 * into XNIO's tree for every request; here each I/O thread keeps its requests in one {@link DeadlineQueue}.
 */
final class ResponseTimeout implements HttpHandler {
    private final HttpHandler next;
    private final long timeoutNanos;
    /** By I/O thread number; each created and touched by its own thread only. */
    private final DeadlineQueue[] queues;

    ResponseTimeout(HttpHandler next, Duration timeout, int ioThreads) {
        this.next = next;
        this.timeoutNanos = timeout.toNanos();
        this.queues = new DeadlineQueue[ioThreads];
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        TimedExchange timed = new TimedExchange(exchange);
        ExchangeRoute route = exchange.getAttachment(ExchangeRoute.KEY);
        if (route != null) {
            route.timeWith(timed);
        }
        if (exchange.isInIoThread()) {
            timed.start();
        } else {
            exchange.getIoThread().execute(timed::start);
        }
        exchange.addExchangeCompleteListener(timed);
        next.handleRequest(exchange);
    }

    private DeadlineQueue queueOf(XnioIoThread thread) {
        DeadlineQueue queue = queues[thread.getNumber()];
        if (queue == null) {
            queue = new DeadlineQueue(thread, timeoutNanos);
            queues[thread.getNumber()] = queue;
        }
        return queue;
    }

    /** One request's time limit: queued on its I/O thread from the start until the exchange ends. */
    final class TimedExchange extends DeadlineQueue.Entry implements ExchangeCompletionListener {
        private final HttpServerExchange exchange;
        private final XnioIoThread thread;
        private DeadlineQueue queue;

        private TimedExchange(HttpServerExchange exchange) {
            this.exchange = exchange;
            this.thread = exchange.getIoThread();
        }

        private void start() {
            queue = queueOf(thread);
            queue.add(this, System.nanoTime());
        }

        @Override
        public void exchangeEvent(HttpServerExchange ended, NextListener nextListener) {
            try {
                if (Thread.currentThread() == thread) {
                    stop();
                } else {
                    thread.execute(this::stop);
                }
            } finally {
                nextListener.proceed();
            }
        }

        private void stop() {
            if (queue != null) {
                queue.remove(this);
            }
        }

        /**
         * Times the request out now if its time has passed: {@code ProxyHandler} makes this check itself before it
         * retries a request, when it keeps the time; returns whether it did.
         */
        boolean timeOutIfPassed() {
            if (!passed(System.nanoTime())) {
                return false;
            }
            stop();
            expired();
            return true;
        }

        @Override
        void expired() {
            ExchangeRoute route = exchange.getAttachment(ExchangeRoute.KEY);
            ClientConnection server = route == null ? null : route.proxiedConnection();
            if (server != null) {
                UndertowLogger.PROXY_REQUEST_LOGGER.timingOutRequest(server.getPeerAddress() + ""
                        + exchange.getRequestURI());
                IoUtils.safeClose(server);
            } else {
                UndertowLogger.PROXY_REQUEST_LOGGER.timingOutRequest(exchange.getRequestURI());
            }
            if (exchange.isResponseStarted()) {
                IoUtils.safeClose(exchange.getConnection());
            } else {
                exchange.setStatusCode(StatusCodes.GATEWAY_TIME_OUT);
                exchange.endExchange();
            }
        }
    }
}

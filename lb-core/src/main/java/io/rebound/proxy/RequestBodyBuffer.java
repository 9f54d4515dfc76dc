package io.rebound.proxy;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.Headers;
import io.undertow.util.ImmediatePooledByteBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSourceChannel;

/**
 * Reads a request's body before any server is chosen (nginx's {@code proxy_request_buffering}), up to
 * {@code request-buffer.size} and within {@code request-buffer.total} over all requests. A body read whole goes to the
 * server with its exact Content-Length, so a client sending slowly holds no server connection, and a body that turns
 * out cut, invalid or too large reaches no server at all: the client gets 400 or 413. A larger body (or one arriving
 * while the total is in use) goes on with the part read so far, then streams. The wait for the rest of a body is
 * bounded by {@code timeouts.request-head} (408), with a timer armed only when the body does not come at once.
 * Requests that ask for {@code 100-continue} stream at once: their client waits for the server's go-ahead.
 */
final class RequestBodyBuffer {
    private final int perRequest;
    private final MemoryBudget budget;
    private final long timeoutMillis;
    private final Refusals refusals;

    /** How a request that failed here is answered. */
    @FunctionalInterface
    interface Refusals {
        void refuse(HttpServerExchange exchange, Refusal refusal);
    }

    RequestBodyBuffer(RequestBuffer buffer, long timeoutMillis, Refusals refusals) {
        this.perRequest = buffer.size();
        this.budget = new MemoryBudget(buffer.total());
        this.timeoutMillis = timeoutMillis;
        this.refusals = refusals;
    }

    /** Buffers what it can of the body, then runs {@code next}; or answers the request itself when the body failed. */
    void readThen(HttpServerExchange exchange, ClientConnectionGuard guard, HttpHandler next) throws Exception {
        if (perRequest == 0 || exchange.isRequestComplete() || HttpContinue.requiresContinueResponse(exchange)) {
            next.handleRequest(exchange);
            return;
        }
        Reading reading = new Reading(exchange, guard, next);
        if (guard != null) {
            guard.softFailures(true);
        }
        exchange.addExchangeCompleteListener((done, nextListener) -> {
            reading.release();
            nextListener.proceed();
        });
        reading.readAvailable(true);
    }

    /** One body being read; touched only by the exchange's I/O thread. */
    private final class Reading implements ChannelListener<StreamSourceChannel> {
        private final HttpServerExchange exchange;
        private final ClientConnectionGuard guard;
        private final HttpHandler next;
        private final StreamSourceChannel channel;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private long reserved;
        private XnioExecutor.Key timer;
        private boolean finished;

        Reading(HttpServerExchange exchange, ClientConnectionGuard guard, HttpHandler next) {
            this.exchange = exchange;
            this.guard = guard;
            this.next = next;
            this.channel = exchange.getRequestChannel();
        }

        @Override
        public void handleEvent(StreamSourceChannel ignored) {
            try {
                readAvailable(false);
            } catch (Exception e) {
                fail(Refusal.INVALID_BODY, false);
            }
        }

        /** Reads what has arrived; goes on, waits for more, or refuses. */
        void readAvailable(boolean inHandler) throws Exception {
            byte[] scratch = new byte[Math.min(perRequest + 1, 16 * 1024)];
            ByteBuffer buffer = ByteBuffer.wrap(scratch);
            while (true) {
                int n;
                try {
                    buffer.clear();
                    n = channel.read(buffer);
                } catch (IOException e) {
                    Refusal refusal = guard != null && guard.failure() != null ? guard.failure()
                            : ExchangeRoute.refusalOf(exchange, Refusal.INVALID_BODY);
                    fail(refusal, inHandler);
                    return;
                }
                if (n == -1) {
                    proceed(inHandler, true);
                    return;
                }
                if (n == 0) {
                    Refusal failure = guard == null ? null : guard.failure();
                    if (failure != null) {
                        fail(failure, inHandler);
                    } else {
                        waitForMore();
                    }
                    return;
                }
                if (!budget.tryTake(n)) {
                    body.write(scratch, 0, n);
                    proceed(inHandler, false);
                    return;
                }
                reserved += n;
                body.write(scratch, 0, n);
                if (body.size() > perRequest) {
                    proceed(inHandler, false);
                    return;
                }
            }
        }

        private void waitForMore() {
            if (timer == null && timeoutMillis > 0) {
                timer = exchange.getIoThread().executeAfter(() -> {
                    timer = null;
                    if (!finished) {
                        fail(Refusal.BODY_TIMEOUT, false);
                    }
                }, timeoutMillis, TimeUnit.MILLISECONDS);
            }
            channel.getReadSetter().set(this);
            channel.resumeReads();
        }

        /** Hands the body read so far back to the exchange and runs the proxy; {@code whole}: the body ended. */
        private void proceed(boolean inHandler, boolean whole) throws Exception {
            finish();
            if (guard != null) {
                guard.softFailures(false);
            }
            if (body.size() > 0) {
                PooledByteBuffer data = new ImmediatePooledByteBuffer(ByteBuffer.wrap(body.toByteArray()));
                Connectors.ungetRequestBytes(exchange, data);
            }
            Connectors.resetRequestChannel(exchange);
            if (whole) {
                exchange.getRequestHeaders().remove(Headers.TRANSFER_ENCODING);
                exchange.getRequestHeaders().put(Headers.CONTENT_LENGTH, body.size());
            }
            if (inHandler) {
                next.handleRequest(exchange);
            } else {
                Connectors.executeRootHandler(next, exchange);
            }
        }

        private void fail(Refusal refusal, boolean inHandler) {
            finish();
            exchange.setPersistent(false);
            if (inHandler) {
                refusals.refuse(exchange, refusal);
            } else {
                Connectors.executeRootHandler(ex -> refusals.refuse(ex, refusal), exchange);
            }
        }

        private void finish() {
            finished = true;
            if (timer != null) {
                timer.remove();
                timer = null;
            }
            channel.getReadSetter().set(null);
            channel.suspendReads();
        }

        void release() {
            budget.give(reserved);
            reserved = 0;
        }
    }
}

package io.rebound.proxy;

import io.rebound.http.ChunkedFraming;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Watches one client connection from below Undertow's HTTP layer, on its raw bytes; installed when the connection is
 * accepted, before Undertow sees it. It parses nothing of the request head (Undertow does); it only:
 * <ul>
 *   <li>answers 408 and closes when a request head that began does not arrive whole within
 *       {@code timeouts.request-head} (the timer is armed only when a head spans more than one read);</li>
 *   <li>counts what Undertow's parser refused by itself (its 400 to a malformed or oversized head);</li>
 *   <li>checks a chunked request body's framing strictly ({@link ChunkedFraming}) while it arrives: while the body is
 *       being buffered a framing error or a cut stops the bytes (reads return 0, {@link #failure()} says why) so the
 *       proxy can answer 400; while it streams to a server, the read fails and the server connection is aborted.</li>
 * </ul>
 * Touched only by the connection's I/O thread.
 */
final class ClientConnectionGuard {
    private static final byte[] REQUEST_TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 38\r\nConnection: close\r\n\r\n408 Request head not received in time\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final StreamConnection connection;
    private final FrontendErrors errors;
    private final MemoryBudget unfinishedHeads;
    private final Runnable onClose;
    private final long headTimeoutMillis;
    private final int headLimit;
    private boolean inRequest;
    private long headBytes;
    private XnioExecutor.Key headTimer;
    private boolean parserAnswered;
    private boolean logged;
    private ChunkedFraming body;
    private boolean softFailures;
    private Refusal failure;
    private Source source;
    private Sink sink;

    private ClientConnectionGuard(StreamConnection connection, FrontendErrors errors, MemoryBudget unfinishedHeads,
                                  long headTimeoutMillis, int headLimit, Runnable onClose) {
        this.connection = connection;
        this.onClose = onClose;
        this.errors = errors;
        this.unfinishedHeads = unfinishedHeads;
        this.headTimeoutMillis = headTimeoutMillis;
        this.headLimit = headLimit;
    }

    /**
     * Puts a guard under {@code connection}'s conduits; call before Undertow's open listener sees it, and
     * {@link #opened()} after.
     */
    static ClientConnectionGuard install(StreamConnection connection, FrontendErrors errors,
                                         MemoryBudget unfinishedHeads, long headTimeoutMillis, int headLimit,
                                         Runnable onClose) {
        ClientConnectionGuard guard = new ClientConnectionGuard(connection, errors, unfinishedHeads, headTimeoutMillis,
                headLimit, onClose);
        guard.source = guard.new Source(connection.getSourceChannel().getConduit());
        guard.sink = guard.new Sink(connection.getSinkChannel().getConduit());
        connection.getSourceChannel().setConduit(guard.source);
        connection.getSinkChannel().setConduit(guard.sink);
        return guard;
    }

    /**
     * Undertow has taken the connection (and set its close listener): chain the guard's own before it. The guard is
     * the connection's original source conduit for Undertow, so no conduit may be put between them (Undertow's
     * statistics would).
     */
    void opened() {
        if (!connection.isOpen()) {
            closed();
            return;
        }
        ChannelListener<? super StreamConnection> undertows = connection.getCloseListener();
        connection.setCloseListener(closed -> {
            closed();
            ChannelListeners.invokeChannelListener(closed, undertows);
        });
    }

    private void closed() {
        onClose.run();
        if (!inRequest) {
            unfinishedHeads.give(headBytes);
            headBytes = 0;
        }
        if (headTimer != null) {
            headTimer.remove();
            headTimer = null;
        }
    }

    /** The guard of the exchange's connection, or null when it has none (a connection not accepted by us). */
    static ClientConnectionGuard of(HttpServerExchange exchange) {
        if (exchange.getConnection() instanceof HttpServerConnection http
                && http.getOriginalSourceConduit() instanceof Source guarded) {
            return guarded.guard();
        }
        return null;
    }

    /** Undertow parsed a whole request head and hands it to the proxy. */
    void requestStarted() {
        inRequest = true;
        unfinishedHeads.give(headBytes);
        headBytes = 0;
        if (headTimer != null) {
            headTimer.remove();
            headTimer = null;
        }
    }

    /** The exchange ended: what comes next is the head of the next request. */
    void requestEnded() {
        inRequest = false;
        body = null;
        failure = null;
        softFailures = false;
    }

    /**
     * Checks the chunked body from here on. {@code alreadyRead} holds the body's bytes that Undertow read with the
     * head (they are only looked at); returns the framing's verdict on them.
     */
    ChunkedFraming.Verdict checkChunkedBody(ByteBuffer alreadyRead) {
        ChunkedFraming framing = new ChunkedFraming();
        ChunkedFraming.Verdict verdict = alreadyRead == null ? ChunkedFraming.Verdict.MORE
                : framing.scan(alreadyRead.duplicate());
        if (verdict == ChunkedFraming.Verdict.MORE) {
            body = framing;
        } else if (verdict == ChunkedFraming.Verdict.INVALID) {
            failure = Refusal.INVALID_BODY;
        }
        return verdict;
    }

    /** While true, a body failure stops the bytes instead of failing the read (the body is being buffered). */
    void softFailures(boolean soft) {
        softFailures = soft;
    }

    /** Why the body failed (cut, invalid), or null. */
    Refusal failure() {
        return failure;
    }

    /** Logs a refusal of this connection's requests, at most once per connection. */
    void refused(String reason, String detail) {
        errors.count(reason);
        if (!logged) {
            logged = true;
            errors.log(reason, detail, connection.getPeerAddress());
        }
    }

    private void headTimedOut() {
        headTimer = null;
        if (inRequest || !connection.isOpen()) {
            return;
        }
        refused("request-head-timeout", "no whole request head within " + headTimeoutMillis + " ms");
        try {
            sink.writeRaw(ByteBuffer.wrap(REQUEST_TIMEOUT));
        } catch (IOException ignored) {
            // The connection closes anyway.
        }
        IoUtils.safeClose(connection);
    }

    private int afterRead(ByteBuffer dst, int start, int read) throws IOException {
        if (read > 0) {
            if (!inRequest) {
                if (!unfinishedHeads.tryTake(read)) {
                    refused("unfinished-heads", "the unfinished request heads of all clients fill "
                            + "rebound.limits.unfinished-heads");
                    IoUtils.safeClose(connection);
                    return -1;
                }
                headBytes += read;
            } else if (body != null) {
                return checkRead(dst, start, read);
            }
        } else if (read == 0) {
            if (!inRequest && headBytes > 0 && headTimer == null && headTimeoutMillis > 0) {
                headTimer = connection.getIoThread().executeAfter(this::headTimedOut, headTimeoutMillis,
                        TimeUnit.MILLISECONDS);
            }
        } else if (body != null) {
            body = null;
            failure = Refusal.CUT_BODY;
            if (softFailures) {
                return 0;
            }
        }
        return read;
    }

    private int checkRead(ByteBuffer dst, int start, int read) throws IOException {
        ByteBuffer view = dst.duplicate();
        view.limit(start + read).position(start);
        ChunkedFraming.Verdict verdict = body.scan(view);
        if (verdict == ChunkedFraming.Verdict.COMPLETE) {
            body = null;
        } else if (verdict == ChunkedFraming.Verdict.INVALID) {
            String problem = body.problem();
            body = null;
            failure = Refusal.INVALID_BODY;
            if (!softFailures) {
                throw new IOException("invalid chunked request body: " + problem);
            }
            dst.position(view.position());
            return view.position() - start;
        }
        return read;
    }

    private void beforeWrite() {
        if (!inRequest && !parserAnswered) {
            parserAnswered = true;
            boolean tooLarge = headBytes > headLimit;
            refused(tooLarge ? "request-head-too-large" : "malformed-request",
                    tooLarge ? "request head over " + headLimit + " bytes" : "request head Undertow could not parse");
        }
    }

    /** The raw bytes from the client. */
    private final class Source extends ReadThroughConduit {
        Source(StreamSourceConduit next) {
            super(next);
        }

        ClientConnectionGuard guard() {
            return ClientConnectionGuard.this;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (failure != null && softFailures) {
                return 0;
            }
            int start = dst.position();
            return afterRead(dst, start, next.read(dst));
        }



    }

    /** The raw bytes to the client. */
    private final class Sink extends AbstractStreamSinkConduit<StreamSinkConduit> {
        Sink(StreamSinkConduit next) {
            super(next);
        }

        int writeRaw(ByteBuffer src) throws IOException {
            return next.write(src);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            beforeWrite();
            return next.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offs, int len) throws IOException {
            beforeWrite();
            return next.write(srcs, offs, len);
        }

        @Override
        public int writeFinal(ByteBuffer src) throws IOException {
            beforeWrite();
            return next.writeFinal(src);
        }

        @Override
        public long writeFinal(ByteBuffer[] srcs, int offs, int len) throws IOException {
            beforeWrite();
            return next.writeFinal(srcs, offs, len);
        }
    }
}

package io.rebound.proxy;

import io.rebound.http.ChunkedFraming;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

/**
 * The raw bytes of one server connection, checked on their way to Undertow's HTTP client above: where each response's
 * head ends (its blank line), where its body ends, and that a chunked body is framed strictly ({@link ChunkedFraming};
 * Undertow's chunk reader takes a chunk size {@code zz} for the last chunk). A body byte that breaks the framing makes
 * the read that brings it fail, so the client's response is cut and the socket reset; body bytes read together with the
 * head are judged in {@link #bodyFollows}, before any can reach the client. A byte outside any response takes the
 * connection out of step: it is never reused. The socket resets when closed, unless closed between responses
 * ({@link #closeCleanly()}). Why and how: {@code docs/server-responses.md}.
 *
 * <p>One exchange at a time, on the connection's I/O thread. A read costs a counter update or a scan of the chunk
 * framing (which skips over chunk data); nothing is copied or allocated per read.
 */
final class ResponseFramingConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {
    private static final Logger log = LoggerFactory.getLogger(ResponseFramingConduit.class);
    /** The last four bytes of a response head: CR LF CR LF. */
    private static final int HEAD_END = '\r' << 24 | '\n' << 16 | '\r' << 8 | '\n';
    /** The status code is bytes 9 to 11 of a status line: {@code HTTP/1.1 200 OK}. */
    private static final int STATUS_START = 9;
    private static final int STATUS_END = 12;
    private static final int CONTINUE = 100;

    private enum Phase {
        /** No request in flight: any byte is out of place. */
        IDLE,
        /** A request was sent; its response head is coming. */
        HEAD,
        /** The head ended; Undertow parses it, and the body bytes read with it are counted, and scanned as chunked. */
        AWAITING_FRAMING,
        LENGTH,
        CHUNKED,
        /** Not checked: a body until the close, or another protocol after an upgrade. */
        UNCHECKED,
        /** The framing broke: every read fails. */
        FAILED
    }

    private final StreamConnection connection;
    private Phase phase = Phase.IDLE;
    private boolean inStep = true;
    private boolean answering;
    private int lastFour;
    private int headBytes;
    private int status;
    /** Body bytes that came with the head, before the framing was known; of them, bytes past a chunked body's end. */
    private long bytesWithHead;
    private long pastChunkedEnd;
    /** The chunked framing of the body; while the framing is unknown, of the bytes that came with the head. */
    private ChunkedFraming chunks;
    private long remaining;
    private boolean lastOnConnection;
    private String problem;

    ResponseFramingConduit(StreamSourceConduit next, StreamConnection connection) {
        super(next);
        this.connection = connection;
    }

    /** A request is being sent on the connection: the next bytes are its response. */
    void requestSent() {
        if (phase != Phase.IDLE) {
            inStep = false;
            problem = "a request sent before the previous response ended";
            phase = Phase.FAILED;
            return;
        }
        phase = Phase.HEAD;
        answering = false;
        newHead();
    }

    /** Whether a byte of the response to the request in flight has come: a failure now is the server's answer. */
    boolean answering() {
        return answering;
    }

    /** Whether the connection may carry another exchange: its responses ended, and nothing came outside them. */
    boolean betweenResponses() {
        return inStep && phase == Phase.IDLE;
    }

    /** A close from now on is a clean one (FIN), not a reset. */
    void closeCleanly() {
        try {
            connection.setOption(Options.CLOSE_ABORT, false);
        } catch (IOException | RuntimeException ignored) {
            // It closes all the same, if with a reset.
        }
    }

    /**
     * Undertow parsed the response head that ended where this conduit saw it end, and its body is delimited by
     * {@code framing}: judges the body bytes that came with the head, and goes on checking those that follow.
     *
     * @return why those bytes break the framing (then nothing of the body has reached the client), or null
     */
    String bodyFollows(BodyFraming framing) {
        if (phase != Phase.AWAITING_FRAMING) {
            inStep = false;
            return "response head out of step with the bytes received";
        }
        lastOnConnection = framing.lastOnConnection();
        switch (framing.kind()) {
            case NONE -> bodyEnds(bytesWithHead);
            case LENGTH -> {
                if (bytesWithHead >= framing.length()) {
                    bodyEnds(bytesWithHead - framing.length());
                } else {
                    remaining = framing.length() - bytesWithHead;
                    phase = Phase.LENGTH;
                }
            }
            case CHUNKED -> {
                if (chunks == null) {
                    chunks = new ChunkedFraming();
                }
                switch (chunks.verdict()) {
                    case MORE -> phase = Phase.CHUNKED;
                    case COMPLETE -> bodyEnds(pastChunkedEnd);
                    case INVALID -> fail();
                }
            }
            case UNTIL_CLOSE, UPGRADE -> {
                // The server's close ends the body; or another protocol follows, for good.
                inStep = false;
                phase = Phase.UNCHECKED;
                closeCleanly();
            }
        }
        return phase == Phase.FAILED ? problem : null;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (phase == Phase.FAILED) {
            throw failure();
        }
        Phase before = phase;
        int start = dst.position();
        int read = next.read(dst);
        if (read > 0 && phase != Phase.UNCHECKED) {
            int end = dst.position();
            int limit = dst.limit();
            dst.limit(end).position(start);
            check(dst);
            dst.limit(limit).position(end);
            if (before == Phase.IDLE) {
                // Some servers say why they close an idle connection (a 408): no one's response, not worth a warning.
                log.debug("Server {} sent bytes while no request was in flight; the connection is reset",
                        connection.getPeerAddress());
                problem = "bytes while no request was in flight";
                phase = Phase.FAILED;
                throw failure();
            }
            if (phase == Phase.FAILED) {
                log.warn("Server {} sent an invalid response: {}; the connection is reset, the client's response "
                        + "cut", connection.getPeerAddress(), problem);
                throw failure();
            }
        }
        return read;
    }

    /** Reads into the first buffer with room only, so that each read is checked in one piece. */
    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            if (dsts[i].hasRemaining()) {
                return read(dsts[i]);
            }
        }
        return 0;
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        return Conduits.transfer(this, count, throughBuffer, target);
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
    }

    private void check(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            switch (phase) {
                case IDLE -> {
                    inStep = false;
                    bytes.position(bytes.limit());
                }
                case HEAD -> head(bytes);
                case AWAITING_FRAMING -> withHead(bytes);
                case LENGTH -> {
                    int take = (int) Math.min(remaining, bytes.remaining());
                    bytes.position(bytes.position() + take);
                    remaining -= take;
                    if (remaining == 0) {
                        bodyEnds(0);
                    }
                }
                case CHUNKED -> {
                    ChunkedFraming.Verdict verdict = chunks.scan(bytes);
                    if (verdict == ChunkedFraming.Verdict.COMPLETE) {
                        bodyEnds(0);
                    } else if (verdict == ChunkedFraming.Verdict.INVALID) {
                        fail();
                        return;
                    }
                }
                case UNCHECKED, FAILED -> bytes.position(bytes.limit());
            }
        }
    }

    /** Takes head bytes up to the head's end, noting the status code on the way. */
    private void head(ByteBuffer bytes) {
        answering = true;
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (headBytes >= STATUS_START && headBytes < STATUS_END) {
                status = b >= '0' && b <= '9' && status >= 0 ? status * 10 + b - '0' : -1;
            }
            headBytes++;
            lastFour = lastFour << 8 | (b & 0xff);
            if (lastFour == HEAD_END) {
                if (status == CONTINUE) {
                    newHead(); // Undertow reads an interim 100 Continue, then the final response's head
                } else {
                    phase = Phase.AWAITING_FRAMING;
                }
                return;
            }
        }
    }

    /** Counts body bytes read with the head, and scans them as chunked in case the head says they are. */
    private void withHead(ByteBuffer bytes) {
        bytesWithHead += bytes.remaining();
        if (chunks == null) {
            chunks = new ChunkedFraming();
        }
        if (chunks.verdict() == ChunkedFraming.Verdict.MORE) {
            chunks.scan(bytes);
        }
        if (chunks.verdict() == ChunkedFraming.Verdict.COMPLETE) {
            pastChunkedEnd += bytes.remaining();
        }
        bytes.position(bytes.limit());
    }

    private void newHead() {
        lastFour = 0;
        headBytes = 0;
        status = 0;
        bytesWithHead = 0;
        pastChunkedEnd = 0;
        chunks = null;
    }

    /** The body ended, {@code excess} bytes before the bytes read so far did: those take the connection out of step. */
    private void bodyEnds(long excess) {
        phase = Phase.IDLE;
        chunks = null;
        if (excess > 0) {
            inStep = false;
        }
        if (lastOnConnection) {
            closeCleanly();
        }
    }

    private void fail() {
        problem = "invalid chunked body: " + chunks.problem();
        phase = Phase.FAILED;
    }

    /** The failed read's exception; the socket resets when Undertow closes it. */
    private IOException failure() {
        try {
            connection.setOption(Options.CLOSE_ABORT, true);
        } catch (IOException | RuntimeException ignored) {
            // It is closed all the same.
        }
        return new IOException("Invalid response from " + connection.getPeerAddress() + ": " + problem);
    }
}

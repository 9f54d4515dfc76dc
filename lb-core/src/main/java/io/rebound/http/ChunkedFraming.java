package io.rebound.http;

import java.nio.ByteBuffer;

/**
 * A strict check of chunked transfer coding (RFC 9112 7.1) over bytes as they arrive, in as many pieces as they come.
 * It only judges: the bytes are left as they are, and Undertow still decodes them. Undertow's own chunk reader is
 * lenient where a proxy must not be: it reads a chunk size that does not start with a hex digit ({@code zz},
 * {@code -1}) as 0, the last chunk, and skips whatever follows a chunk's data up to the next line feed. A server
 * behind a proxy may read those bytes otherwise, which is how requests are smuggled; so Rebound refuses them.
 *
 * <p>The states, and what each expects next:
 * <pre>
 * SIZE_START    hex digit -> SIZE
 * SIZE          hex digit -> SIZE; ';' SP HTAB -> EXTENSION; CR -> SIZE_LF
 * EXTENSION     CR -> SIZE_LF; any other byte but LF and controls -> EXTENSION
 * SIZE_LF       LF -> DATA (size > 0) or TRAILER_START (size 0, the last chunk)
 * DATA          size bytes of data, then DATA_CR
 * DATA_CR       CR -> DATA_LF          (anything else: bytes after a chunk's data)
 * DATA_LF       LF -> SIZE_START
 * TRAILER_START CR -> END_LF; a field-name byte -> TRAILER
 * TRAILER       CR -> TRAILER_LF; any other byte but LF and NUL -> TRAILER
 * TRAILER_LF    LF -> TRAILER_START
 * END_LF        LF -> complete
 * </pre>
 * Any other byte is a framing error. Chunk sizes above 2^56 and trailers over {@link #MAX_TRAILER_BYTES} are errors.
 */
public final class ChunkedFraming {
    /** The most bytes of trailer fields taken after the last chunk. */
    public static final int MAX_TRAILER_BYTES = 8 * 1024;
    private static final long MAX_CHUNK_SIZE = 1L << 56;

    /** What the bytes seen so far amount to. */
    public enum Verdict {
        /** Valid so far; the body goes on. */
        MORE,
        /** The body ended, validly; the buffer's position is at the first byte after it. */
        COMPLETE,
        /** The bytes break the framing; {@link #problem()} says how. */
        INVALID
    }

    private enum State {
        SIZE_START, SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER, TRAILER_LF, END_LF, DONE,
        FAILED
    }

    private State state = State.SIZE_START;
    private long chunkRemaining;
    private long dataBytes;
    private int trailerBytes;
    private String problem;

    /**
     * Checks the bytes between {@code bytes}' position and limit, advancing the position over what it took: to the
     * limit on {@link Verdict#MORE}, just past the body on {@link Verdict#COMPLETE}, to the offending byte on
     * {@link Verdict#INVALID}. Once complete or invalid, it takes nothing more.
     */
    public Verdict scan(ByteBuffer bytes) {
        while (bytes.hasRemaining() && state != State.DONE && state != State.FAILED) {
            if (state == State.DATA) {
                int take = (int) Math.min(chunkRemaining, bytes.remaining());
                bytes.position(bytes.position() + take);
                chunkRemaining -= take;
                dataBytes += take;
                if (chunkRemaining == 0) {
                    state = State.DATA_CR;
                }
                continue;
            }
            byte b = bytes.get();
            state = next(b);
            if (state == State.FAILED) {
                bytes.position(bytes.position() - 1);
            }
        }
        return verdict();
    }

    public Verdict verdict() {
        return switch (state) {
            case DONE -> Verdict.COMPLETE;
            case FAILED -> Verdict.INVALID;
            default -> Verdict.MORE;
        };
    }

    /** Whether the body ended validly. */
    public boolean complete() {
        return state == State.DONE;
    }

    /** What broke the framing, or null. */
    public String problem() {
        return problem;
    }

    /** Chunk data seen so far (the decoded body's length). */
    public long dataBytes() {
        return dataBytes;
    }

    private State next(byte b) {
        return switch (state) {
            case SIZE_START -> hex(b) >= 0 ? size(b) : fail("a chunk size must start with a hex digit");
            case SIZE -> {
                if (hex(b) >= 0) {
                    yield size(b);
                }
                yield b == ';' || b == ' ' || b == '\t' ? State.EXTENSION
                        : b == '\r' ? State.SIZE_LF : fail("invalid byte in a chunk size");
            }
            case EXTENSION -> b == '\r' ? State.SIZE_LF
                    : isControl(b) && b != '\t' ? fail("invalid byte in a chunk extension") : State.EXTENSION;
            case SIZE_LF -> b != '\n' ? fail("a chunk size line must end with CRLF")
                    : chunkRemaining > 0 ? State.DATA : State.TRAILER_START;
            case DATA_CR -> b == '\r' ? State.DATA_LF : fail("bytes after a chunk's data");
            case DATA_LF -> b == '\n' ? State.SIZE_START : fail("a chunk's data must end with CRLF");
            case TRAILER_START -> b == '\r' ? State.END_LF
                    : isTokenByte(b) ? trailer() : fail("invalid trailer field");
            case TRAILER -> b == '\r' ? State.TRAILER_LF
                    : b == '\n' || b == 0 ? fail("invalid byte in a trailer field") : trailer();
            case TRAILER_LF -> b == '\n' ? State.TRAILER_START : fail("a trailer field must end with CRLF");
            case END_LF -> b == '\n' ? State.DONE : fail("the chunked body must end with CRLF");
            case DATA, DONE, FAILED -> throw new IllegalStateException(state.name());
        };
    }

    private State size(byte b) {
        if (chunkRemaining >= MAX_CHUNK_SIZE) {
            return fail("chunk size too large");
        }
        chunkRemaining = chunkRemaining * 16 + hex(b);
        return State.SIZE;
    }

    private State trailer() {
        if (++trailerBytes > MAX_TRAILER_BYTES) {
            return fail("trailer fields larger than " + MAX_TRAILER_BYTES + " bytes");
        }
        return State.TRAILER;
    }

    private State fail(String reason) {
        problem = reason;
        return State.FAILED;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    private static boolean isControl(byte b) {
        return (b >= 0 && b < 0x20) || b == 0x7f;
    }

    /** RFC 9110 tchar: what a field name is made of. */
    static boolean isTokenByte(byte b) {
        if (b <= 0x20 || b >= 0x7f) {
            return false;
        }
        return "\"(),/:;<=>?@[\\]{}".indexOf(b) < 0;
    }
}

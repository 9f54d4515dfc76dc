package io.rebound.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One client connection on a raw socket, for tests that send several requests on it and look at the exact bytes of
 * each answer: {@link #readResponse()} takes one response framed by Content-Length, {@link #readUntilClosed()} all
 * bytes until the proxy closes the connection.
 */
public final class RawConnection implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private final Socket socket;
    private final InputStream in;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    public static RawConnection open(int port) {
        try {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return new RawConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A GET of {@code path} as a client sends it on a keep-alive connection. */
    public static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
    }

    public RawConnection send(String request) {
        try {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a FIN: the client has nothing more to send, and still reads. */
    public RawConnection shutdownOutput() {
        try {
            socket.shutdownOutput();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One response framed by Content-Length (which it must have), head and body as received. */
    public String readResponse() {
        String head = readHead();
        long length = -1;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        if (length < 0) {
            throw new AssertionError("no Content-Length in response head:\n" + head);
        }
        return head + new String(readBytes((int) length), StandardCharsets.ISO_8859_1);
    }

    /** The body of the response {@link #readResponse()} would read. */
    public static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    /** {@code bytes} with CR and LF shown as {@code \\r} and {@code \\n}, for assertion messages. */
    public static String escape(String bytes) {
        return bytes.replace("\r", "\\r").replace("\n", "\\n");
    }

    /** A response head up to its blank line. */
    public String readHead() {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        try {
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                last4 = last4 << 8 | b;
                if (last4 == ('\r' << 24 | '\n' << 16 | '\r' << 8 | '\n')) {
                    return head.toString(StandardCharsets.ISO_8859_1);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("reading a response head failed after: " + head, e);
        }
        throw new AssertionError("connection closed within a response head: " + head);
    }

    /** Exactly {@code count} bytes. */
    public byte[] readBytes(int count) {
        try {
            byte[] bytes = in.readNBytes(count);
            if (bytes.length < count) {
                throw new AssertionError("connection closed after " + bytes.length + " of " + count + " bytes: "
                        + new String(bytes, StandardCharsets.ISO_8859_1));
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every byte until the proxy closes the connection (a reset counts as a close); fails when it stays open for the
     * read timeout.
     */
    public String readUntilClosed() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketException e) {
            // reset by the proxy: a close
        } catch (IOException e) {
            throw new AssertionError("the proxy did not close the connection; read so far: "
                    + bytes.toString(StandardCharsets.ISO_8859_1), e);
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}

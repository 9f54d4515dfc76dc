package io.rebound.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.1 exchange with an admin listener on a plain socket, for the commands keepalived runs every few seconds
 * ({@code check-ready}, {@code vrrp-notify}): the JDK's HttpClient loads a thousand more classes, which made each run
 * take over a second of CPU on a busy machine. Connection: close; the answer is read to its end.
 */
final class PlainHttp {
    /** Admin answers are a line or two; more is not an admin listener. */
    private static final int MAX_ANSWER = 64 * 1024;

    /** A status code and the body. */
    record Answer(int status, String body) {
    }

    private PlainHttp() {
    }

    /**
     * Sends {@code method path} (with {@code body}, empty for none) to {@code admin} with its token, and reads the
     * answer; the whole exchange is bounded by {@code timeout}.
     *
     * @throws IOException when nothing answers, too late, or not HTTP
     */
    static Answer exchange(AdminAddress admin, String method, String path, String body, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(admin.address()).append("\r\n")
                .append("Connection: close\r\n");
        admin.token().ifPresent(token -> head.append("Authorization: ").append(token.authorization()).append("\r\n"));
        if (!method.equals("GET")) {
            head.append("Content-Type: text/plain\r\nContent-Length: ").append(content.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(admin.address().host(), admin.address().port()), millisLeft(deadline));
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[MAX_ANSWER];
            int length = 0;
            while (length < answer.length) {
                socket.setSoTimeout(millisLeft(deadline));
                int read = in.read(answer, length, answer.length - length);
                if (read < 0) {
                    break;
                }
                length += read;
            }
            return parse(new String(answer, 0, length, StandardCharsets.UTF_8));
        }
    }

    private static Answer parse(String response) throws IOException {
        int headEnd = response.indexOf("\r\n\r\n");
        String[] statusLine = response.lines().findFirst().orElse("").split(" ", 3);
        if (headEnd < 0 || statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer: " + response.lines().findFirst().orElse("(nothing)"));
        }
        try {
            return new Answer(Integer.parseInt(statusLine[1]), response.substring(headEnd + 4));
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + statusLine[1], e);
        }
    }

    private static int millisLeft(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("no answer in time");
        }
        return Math.toIntExact(left);
    }
}

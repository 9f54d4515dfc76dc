package io.rebound.check;

import io.rebound.config.HostPort;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * One HTTP health check against one server: connect, send the check request with {@code Connection: close}, read the
 * status line, all within the check timeout. Blocking, so it runs on the checker's own threads, never on I/O threads.
 */
final class HttpCheck {
    /** A status line is short; a server sending more than this before CRLF is not speaking HTTP. */
    private static final int MAX_STATUS_LINE = 1024;

    private final CheckSettings settings;

    HttpCheck(CheckSettings settings) {
        this.settings = settings;
    }

    /** Checks the server at {@code target}; {@code address} (as configured) is the Host header. */
    CheckResult run(InetSocketAddress target, HostPort address) {
        Instant at = Instant.now();
        long start = System.nanoTime();
        long deadline = start + settings.timeout().toNanos();
        String failure;
        int status = -1;
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(target, remainingMillis(deadline));
            socket.setSoTimeout(remainingMillis(deadline));
            OutputStream out = socket.getOutputStream();
            out.write(request(address).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Buffered: the status line comes in one read, not one read per byte.
            status = readStatus(new BufferedInputStream(socket.getInputStream(), MAX_STATUS_LINE), socket, deadline);
            failure = settings.expectStatus().contains(status) ? null : "status " + status;
        } catch (ConnectException e) {
            failure = "connection refused";
        } catch (SocketTimeoutException e) {
            failure = "timeout after " + settings.timeout().toMillis() + " ms";
        } catch (IOException e) {
            failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().toLowerCase();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return failure == null
                ? new CheckResult(true, "status " + status, at, took)
                : new CheckResult(false, failure, at, took);
    }

    private String request(HostPort address) {
        return settings.method() + " " + settings.path() + " HTTP/1.1\r\n"
                + "Host: " + address + "\r\n"
                + "User-Agent: rebound-check\r\n"
                + "Connection: close\r\n\r\n";
    }

    private static int readStatus(InputStream in, Socket socket, long deadline) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            socket.setSoTimeout(remainingMillis(deadline));
            int b = in.read();
            if (b < 0) {
                throw new IOException(line.length() == 0 ? "closed without a response" : "truncated status line");
            }
            if (b == '\n') {
                break;
            }
            if (line.length() >= MAX_STATUS_LINE) {
                throw new IOException("status line too long");
            }
            line.append((char) b);
        }
        String[] parts = line.toString().trim().split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response");
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + parts[1], e);
        }
    }

    private static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long remaining = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (remaining <= 0) {
            throw new SocketTimeoutException("check timeout");
        }
        return (int) remaining;
    }
}

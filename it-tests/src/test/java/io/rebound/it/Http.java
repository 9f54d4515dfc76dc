package io.rebound.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client that opens a new TCP connection for every request (as curl does in the reference drills), always to
 * 127.0.0.1. A new connection per request means a proxy that is gone shows up at once as a refused connection,
 * never hidden behind a pooled one.
 */
final class Http {
    /** Connect and read timeout of plain requests; generous, so a slow machine does not fail a drill. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Http() {
    }

    static HttpAnswer get(int port, String path) throws IOException {
        return get(port, path, TIMEOUT);
    }

    static HttpAnswer get(int port, String path, Duration timeout) throws IOException {
        return get("127.0.0.1", port, path, timeout);
    }

    /** A GET to a loopback address other than 127.0.0.1. */
    static HttpAnswer get(String host, int port, String path) throws IOException {
        return get(host, port, path, TIMEOUT);
    }

    private static HttpAnswer get(String host, int port, String path, Duration timeout) throws IOException {
        long start = System.nanoTime();
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://" + host + ":" + port + path)
                .toURL().openConnection();
        try {
            connection.setUseCaches(false);
            connection.setRequestProperty("Connection", "close");
            connection.setConnectTimeout(Math.toIntExact(timeout.toMillis()));
            connection.setReadTimeout(Math.toIntExact(timeout.toMillis()));
            int status = connection.getResponseCode();
            String body = readBody(connection, status);
            return new HttpAnswer(status, body, Duration.ofNanos(System.nanoTime() - start));
        } finally {
            connection.disconnect();
        }
    }

    private static String readBody(HttpURLConnection connection, int status) throws IOException {
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

package io.rebound.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server on a plain socket that records the exact bytes it receives: every complete request (head and body, as
 * the test's simple reading of Content-Length and chunked framing finds them) and, per connection, everything that
 * arrived. It answers each complete request with 200 and its name. Health checks (User-Agent rebound-check) are
 * answered but not recorded as traffic.
 */
public final class RecordingServer implements AutoCloseable {
    private final String name;
    private final ServerSocket socket;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<String> complete = new CopyOnWriteArrayList<>();
    private final List<ByteArrayOutputStream> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger trafficConnections = new AtomicInteger();

    private RecordingServer(String name) throws IOException {
        this.name = name;
        this.socket = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    public static RecordingServer start(String name) {
        try {
            return new RecordingServer(name);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public String name() {
        return name;
    }

    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** Complete traffic requests received, each as its exact bytes (ISO-8859-1). */
    public List<String> completeRequests() {
        return List.copyOf(complete);
    }

    /** Everything received on connections that carried anything but health checks. */
    public String trafficBytes() {
        StringBuilder all = new StringBuilder();
        for (ByteArrayOutputStream connection : connections) {
            String text = connection.toString(StandardCharsets.ISO_8859_1);
            if (!text.isEmpty() && !text.contains("User-Agent: rebound-check")) {
                all.append(text);
            }
        }
        return all.toString();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                threads.execute(() -> serve(connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        connections.add(received);
        try (connection) {
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (received) {
                    received.write(buffer, 0, n);
                }
                pending.write(buffer, 0, n);
                int end;
                while ((end = requestEnd(pending.toString(StandardCharsets.ISO_8859_1))) > 0) {
                    String text = pending.toString(StandardCharsets.ISO_8859_1);
                    String request = text.substring(0, end);
                    byte[] rest = text.substring(end).getBytes(StandardCharsets.ISO_8859_1);
                    pending.reset();
                    pending.write(rest);
                    if (!request.contains("User-Agent: rebound-check")) {
                        complete.add(request);
                    }
                    byte[] body = (name + "\n").getBytes(StandardCharsets.ISO_8859_1);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // A reset connection: what arrived is recorded.
        }
    }

    /** Where the first complete request in {@code text} ends, or -1 (test-only reading of the framing). */
    private static int requestEnd(String text) {
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return -1;
        }
        String head = text.substring(0, headEnd).toLowerCase(Locale.ROOT);
        int bodyStart = headEnd + 4;
        int length = head.indexOf("\r\ncontent-length:");
        if (head.contains("\r\ntransfer-encoding:")) {
            int last = text.indexOf("\r\n0\r\n\r\n", bodyStart - 2);
            return last < 0 ? -1 : last + 7;
        } else if (length >= 0) {
            int valueEnd = head.indexOf("\r\n", length + 2);
            String value = head.substring(length + 17, valueEnd < 0 ? head.length() : valueEnd).trim();
            int end = bodyStart + Integer.parseInt(value);
            return text.length() >= end ? end : -1;
        }
        return bodyStart;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        threads.shutdownNow();
    }
}

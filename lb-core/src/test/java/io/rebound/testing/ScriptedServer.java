package io.rebound.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 server on 127.0.0.1, port 0, that answers each request with the bytes scripted for its path, as they
 * are, however broken: the server behind the proxy that tests of hostile or broken responses need. A path without a
 * script gets {@code 200} with the body {@code ok <path>\n}. It records on which connection each request came and how
 * the proxy ended each connection.
 */
public final class ScriptedServer implements AutoCloseable {
    /** Waiting for the test's {@link #releaseRest()} between the two parts of a reply, and for a request. */
    private static final long WAIT_SECONDS = 10;

    /** What the server does with the connection after a reply. */
    public enum End {
        /** Reads the next request on it. */
        KEEP_OPEN,
        /** Closes it cleanly (FIN). */
        CLOSE,
        /** Resets it (RST). */
        RESET
    }

    /**
     * Scripted bytes: {@code first}, then, once the test calls {@link #releaseRest()}, {@code rest} (when not null),
     * then {@code end}.
     */
    public record Reply(String first, String rest, End end) {
        public static Reply of(String bytes, End end) {
            return new Reply(bytes, null, end);
        }

        public static Reply inTwoParts(String first, String rest, End end) {
            return new Reply(first, rest, end);
        }
    }

    /** A request as the server received it: the connection it came on (1 for the first accepted) and its line. */
    public record Request(int connection, String line) {
    }

    private final ServerSocket socket;
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<Integer, String> endings = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final CountDownLatch rest = new CountDownLatch(1);

    private ScriptedServer(ServerSocket socket) {
        this.socket = socket;
    }

    public static ScriptedServer start() throws IOException {
        ScriptedServer server = new ScriptedServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread acceptor = new Thread(server::acceptAll, "scripted-server");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    /** Answers requests for {@code path} with {@code reply}. */
    public ScriptedServer on(String path, Reply reply) {
        replies.put(path, reply);
        return this;
    }

    /** Lets the replies waiting between their two parts send the rest. */
    public void releaseRest() {
        rest.countDown();
    }

    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * How the proxy ended connection {@code connection} (1 for the first accepted): "reset", "closed", or "open" while
     * the server still waits for a request on it.
     */
    public String ending(int connection) {
        return endings.getOrDefault(connection, "open");
    }

    private void acceptAll() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                int number = connections.incrementAndGet();
                Thread handler = new Thread(() -> serve(connection, number), "scripted-connection-" + number);
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket connection, int number) {
        try (connection) {
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            while (true) {
                String head;
                try {
                    head = readHead(in);
                } catch (SocketException e) {
                    endings.put(number, "reset");
                    return;
                }
                if (head == null) {
                    endings.put(number, "closed");
                    return;
                }
                String line = head.substring(0, head.indexOf("\r\n"));
                requests.add(new Request(number, line));
                String path = line.split(" ")[1];
                Reply reply = replies.getOrDefault(path, ok(path));
                out.write(reply.first().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (reply.rest() != null) {
                    if (!rest.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                        return;
                    }
                    out.write(reply.rest().getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                if (reply.end() == End.RESET) {
                    connection.setSoLinger(true, 0);
                    return;
                }
                if (reply.end() == End.CLOSE) {
                    return;
                }
            }
        } catch (IOException e) {
            endings.putIfAbsent(number, "reset");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Reply ok(String path) {
        String body = "ok " + path + "\n";
        return Reply.of("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body, End.KEEP_OPEN);
    }

    /** A request head up to its blank line, or null when the connection ends before one. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            last4 = last4 << 8 | b;
            if (last4 == ('\r' << 24 | '\n' << 16 | '\r' << 8 | '\n')) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        rest.countDown();
        socket.close();
    }
}

package io.rebound.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 server on 127.0.0.1, port 0, that answers the proxy's health checks with {@code 200 ok} (kept alive)
 * and drops some of the other requests after reading them: no byte of answer, the connection closed with a FIN or
 * reset, as a server that is killed, restarted or whose keep-alive timeout fires does. Which requests it drops is
 * its {@link Policy}; it counts them.
 */
public final class DroppingServer implements AutoCloseable {

    /** Which requests other than checks are dropped, and how the connection ends then. */
    public enum Policy {
        /** Every request, with a reset (RST): a server killed after accepting. */
        RESET_EVERY_REQUEST,
        /** Every request, with a FIN. */
        CLOSE_EVERY_REQUEST,
        /** The second and later requests of a connection, with a FIN: a server closing a kept-alive connection. */
        CLOSE_REUSED
    }

    private final ServerSocket socket;
    private final AtomicInteger dropped = new AtomicInteger();
    private final Policy policy;

    private DroppingServer(ServerSocket socket, Policy policy) {
        this.socket = socket;
        this.policy = policy;
    }

    public static DroppingServer start(Policy policy) throws IOException {
        DroppingServer server = new DroppingServer(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()), policy);
        Thread acceptor = new Thread(server::acceptAll, "dropping-server");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** How many requests it dropped. */
    public int dropped() {
        return dropped.get();
    }

    private void acceptAll() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                Thread handler = new Thread(() -> serve(connection), "dropping-server-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            for (int request = 1; ; request++) {
                boolean check = false;
                String line = in.readLine();
                if (line == null) {
                    return;
                }
                for (; line != null && !line.isEmpty(); line = in.readLine()) {
                    check |= line.equalsIgnoreCase("User-Agent: rebound-check");
                }
                Policy now = policy;
                if (!check && (now != Policy.CLOSE_REUSED || request > 1)) {
                    dropped.incrementAndGet();
                    if (now == Policy.RESET_EVERY_REQUEST) {
                        connection.setSoLinger(true, 0); // close() now sends RST
                    }
                    return;
                }
                OutputStream out = connection.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            // the proxy went away
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

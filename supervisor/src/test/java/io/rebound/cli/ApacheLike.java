package io.rebound.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;

/** A backend on loopback that answers every request {@code This is apache1}, as the reference setup's Apache does. */
final class ApacheLike {

    private ApacheLike() {
    }

    static HttpServer start(int port) throws IOException {
        return start(port, null);
    }

    /** On {@code port} (0: any free one), its exchanges handled by {@code executor} (null: one thread). */
    static HttpServer start(int port, Executor executor) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/", exchange -> {
            byte[] body = "This is apache1\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(executor);
        server.start();
        return server;
    }
}

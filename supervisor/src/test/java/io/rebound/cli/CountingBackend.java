package io.rebound.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend on loopback answering {@code This is <name>} that counts the proxy's health checks apart from traffic; a
 * request for {@code /slow} is answered after {@code slowMillis}, so a test can hold a request in flight on it.
 */
final class CountingBackend implements AutoCloseable {
    private final String name;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final AtomicInteger checks = new AtomicInteger();
    private final AtomicInteger traffic = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();

    CountingBackend(String name, long slowMillis) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", exchange -> {
            boolean check = "rebound-check".equals(exchange.getRequestHeaders().getFirst("User-Agent"));
            (check ? checks : traffic).incrementAndGet();
            inFlight.incrementAndGet();
            try {
                if (!check && exchange.getRequestURI().getPath().equals("/slow") && slowMillis > 0) {
                    TimeUnit.MILLISECONDS.sleep(slowMillis);
                }
                byte[] body = ("This is " + name + "\n").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.setExecutor(threads);
        server.start();
    }

    String name() {
        return name;
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    int checks() {
        return checks.get();
    }

    int traffic() {
        return traffic.get();
    }

    /** Requests being answered now, checks included. */
    int inFlight() {
        return inFlight.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}

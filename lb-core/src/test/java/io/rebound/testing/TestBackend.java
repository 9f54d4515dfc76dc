package io.rebound.testing;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1, port 0, answering {@code <name>\n} with a status that the test can change, an
 * optional delay, extra response headers, and a record of the request headers it received.
 */
public final class TestBackend implements AutoCloseable {
    private final String name;
    private final Undertow server;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger traffic = new AtomicInteger();
    private final AtomicInteger checksBeforeTraffic = new AtomicInteger();
    private final String host;
    private final ConcurrentLinkedQueue<Map<String, List<String>>> requestHeaders = new ConcurrentLinkedQueue<>();
    private final Map<String, String> responseHeaders = new ConcurrentHashMap<>();
    private volatile int status = 200;
    private volatile long delayMillis;
    private volatile long trafficDelayMillis;

    private TestBackend(String name, int idleTimeoutMillis, String host, int port) {
        this.name = name;
        this.host = host;
        Undertow.Builder builder = Undertow.builder().setIoThreads(1).setWorkerThreads(8)
                .addHttpListener(port, host)
                .setServerOption(UndertowOptions.ENABLE_STATISTICS, true)
                .setHandler(this::handle);
        if (idleTimeoutMillis > 0) {
            builder.setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, idleTimeoutMillis);
        }
        this.server = builder.build();
        server.start();
    }

    public static TestBackend start(String name) {
        return new TestBackend(name, 0, "127.0.0.1", 0);
    }

    /**
     * A backend on another loopback address ({@code 127.0.0.2}, ...: all of 127/8 reaches lo on Linux) and a given
     * port (0: any free one), so that a name can move between backends on the same port.
     */
    public static TestBackend startOn(String name, String host, int port) {
        return new TestBackend(name, 0, host, port);
    }

    /** A backend that closes a connection idle for {@code idleTimeoutMillis}, as Apache's KeepAliveTimeout does. */
    public static TestBackend startWithKeepAliveTimeout(String name, int idleTimeoutMillis) {
        return new TestBackend(name, idleTimeoutMillis, "127.0.0.1", 0);
    }

    private void handle(HttpServerExchange exchange) throws Exception {
        boolean check = "rebound-check".equals(exchange.getRequestHeaders().getFirst("User-Agent"));
        long delay = check ? delayMillis : Math.max(delayMillis, trafficDelayMillis);
        if (delay > 0 && exchange.isInIoThread()) {
            exchange.dispatch(this::handle);
            return;
        }
        requests.incrementAndGet();
        Map<String, List<String>> headers = new TreeMap<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            headers.put(values.getHeaderName().toString().toLowerCase(Locale.ROOT), new ArrayList<>(values));
        }
        requestHeaders.add(headers);
        if (!check) {
            traffic.incrementAndGet();
        } else if (traffic.get() == 0) {
            checksBeforeTraffic.incrementAndGet();
        }
        if (delay > 0) {
            Thread.sleep(delay);
        }
        exchange.setStatusCode(status);
        responseHeaders.forEach((header, value) -> exchange.getResponseHeaders().put(new HttpString(header), value));
        exchange.getResponseSender().send(name + "\n");
    }

    public String name() {
        return name;
    }

    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    public String address() {
        return host + ":" + port();
    }

    public String host() {
        return host;
    }

    public int requests() {
        return requests.get();
    }

    /** Requests other than the proxy's health checks. */
    public int trafficRequests() {
        return traffic.get();
    }

    /** Health checks received before the first request of traffic (all of them while there was none). */
    public int checksBeforeFirstTraffic() {
        return checksBeforeTraffic.get();
    }

    public long activeConnections() {
        return server.getListenerInfo().get(0).getConnectorStatistics().getActiveConnections();
    }

    /** The headers of the last request received, names in lower case. */
    public Map<String, List<String>> lastRequestHeaders() {
        Map<String, List<String>> last = null;
        for (Map<String, List<String>> headers : requestHeaders) {
            last = headers;
        }
        return last;
    }

    public void answer(int status) {
        this.status = status;
    }

    public void delay(long millis) {
        this.delayMillis = millis;
    }

    /** Delays the answers to requests other than health checks, so that checks keep passing. */
    public void delayTraffic(long millis) {
        this.trafficDelayMillis = millis;
    }

    public void addResponseHeader(String header, String value) {
        responseHeaders.put(header, value);
    }

    @Override
    public void close() {
        server.stop();
    }
}

package io.rebound.supervisor.admin;

import io.rebound.supervisor.history.HistoryJson;
import io.rebound.supervisor.history.SupervisorEvents;
import io.rebound.supervisor.history.TrafficHistory;
import io.rebound.supervisor.history.TrafficSampler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The status page of the supervisor's admin listener: {@code GET /} and its scripts and styles from a fixed list of
 * classpath files (uPlot's from its webjar), and the page's data, {@code GET /traffic} and {@code GET /events}
 * ({@link HistoryJson}); the servers and their changes are {@link ServerEndpoints}'. The page has no inline script
 * nor style, so its Content-Security-Policy allows only this origin, and it may not be framed: its buttons change
 * servers. The page and its files hold no data, so they are {@link #OPEN_PATHS}, read without the admin token; the
 * page asks for the token and sends it with every request for data or a change.
 */
public final class StatusPage {
    /** uPlot's version in its webjar: that of the pom's dependency (a mismatch fails at start, and in the tests). */
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final String OURS = "io/rebound/supervisor/admin/status-page/";
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private record Asset(String resource, String contentType) {
    }

    /** Every file the page is made of, by request path: nothing else is served, so no path reaches other files. */
    private static final Map<String, Asset> ASSETS = Map.of(
            "/", new Asset(OURS + "index.html", "text/html; charset=utf-8"),
            "/assets/status.js", new Asset(OURS + "status.js", "text/javascript; charset=utf-8"),
            "/assets/status.css", new Asset(OURS + "status.css", "text/css; charset=utf-8"),
            "/assets/uPlot.iife.min.js", new Asset(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
            "/assets/uPlot.min.css", new Asset(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"));
    /** The paths read without the admin token. */
    public static final Set<String> OPEN_PATHS = ASSETS.keySet();

    private final TrafficHistory traffic;
    private final SupervisorEvents events;
    private final Map<String, byte[]> files;

    /**
     * A page showing {@code traffic} and {@code events}; its files are read now.
     *
     * @throws IllegalStateException when a file of the page is missing from the class path (a broken build)
     */
    public StatusPage(TrafficHistory traffic, SupervisorEvents events) {
        this.traffic = Objects.requireNonNull(traffic, "traffic");
        this.events = Objects.requireNonNull(events, "events");
        this.files = ASSETS.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                entry -> read(entry.getValue().resource())));
    }

    void addTo(RoutingHandler routes) {
        routes.get("/", exchange -> serve(exchange, "/"))
                .get("/assets/{name}", exchange -> serve(exchange, "/assets/"
                        + exchange.getQueryParameters().get("name").getFirst()))
                .get("/traffic", SupervisorAdmin.blocking(exchange -> SupervisorAdmin.send(exchange, "application/json",
                        HistoryJson.traffic(traffic, TrafficSampler.INTERVAL.toMillis(), since(exchange)))))
                .get("/events", SupervisorAdmin.blocking(exchange -> SupervisorAdmin.send(exchange, "application/json",
                        HistoryJson.events(events.all()))));
    }

    private void serve(HttpServerExchange exchange, String path) {
        Asset asset = ASSETS.get(path);
        if (asset == null) {
            exchange.setStatusCode(StatusCodes.NOT_FOUND);
            SupervisorAdmin.send(exchange, "text/plain", "not found: the status page has no file " + path + "\n");
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.put(Headers.CONTENT_TYPE, asset.contentType());
        headers.put(Headers.CACHE_CONTROL, "no-cache");
        headers.put(new HttpString("Content-Security-Policy"), CONTENT_SECURITY_POLICY);
        headers.put(new HttpString("X-Content-Type-Options"), "nosniff");
        headers.put(new HttpString("X-Frame-Options"), "DENY");
        headers.put(new HttpString("Referrer-Policy"), "no-referrer");
        exchange.getResponseSender().send(ByteBuffer.wrap(files.get(path)));
    }

    /** {@code ?since=} in epoch milliseconds; 0 (every sample) when absent or not a number. */
    private static long since(HttpServerExchange exchange) {
        Deque<String> since = exchange.getQueryParameters().get("since");
        try {
            return since == null || since.isEmpty() ? 0 : Long.parseLong(since.getFirst());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = StatusPage.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the status page's file " + resource + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the status page's file " + resource, e);
        }
    }
}

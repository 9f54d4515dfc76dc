package io.rebound.supervisor.admin;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rebound.admin.AdminAccess;
import io.rebound.admin.AdminAccessHandler;
import io.rebound.admin.AdminToken;
import io.rebound.config.HostPort;
import io.rebound.supervisor.Supervisor;
import io.rebound.supervisor.VrrpRole;
import io.rebound.supervisor.runtime.ServerControl;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;
import io.rebound.supervisor.ReloadOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The supervisor's own admin listener: {@code /status} (JSON), {@code /metrics} (Prometheus text),
 * {@code /health/live} and {@code POST /reload} (answers once the reload is over: 200 reloaded, 422 invalid
 * configuration, 409 refused, 500 the new proxy failed; the body says what happened) and {@code POST /vrrp} (the body
 * names the VRRP state keepalived entered, {@code ?at=} when, in epoch milliseconds: 200 with the state kept, 400
 * anything else, which changes nothing; an older report than the current one is kept out), and the runtime control
 * of the servers ({@link ServerEndpoints}: {@code GET /servers}, {@code POST /servers/NAME/state|weight}), and the
 * {@link StatusPage} ({@code GET /}, {@code /traffic}, {@code /events}). Small on purpose: one I/O thread, two workers.
 * Like the proxy's, it is meant for loopback, and it applies the same {@link AdminAccess} rules: a request naming
 * another Host, or a POST from a page of another origin, is refused before it is routed; only the status page's
 * files, which hold no data, are read without the token.
 */
public final class SupervisorAdmin implements AutoCloseable {
    /** A reload always ends by the start timeout; this only bounds a request should something go wrong. */
    private static final Duration RELOAD_WAIT = Duration.ofMinutes(10);
    /** "BACKUP" with a line end, and room for blanks: a longer body is no state. */
    private static final int MAX_VRRP_BODY = 32;
    private static final HttpString NOSNIFF = new HttpString("X-Content-Type-Options");
    private final Undertow server;
    private final PrometheusMeterRegistry registry;

    private SupervisorAdmin(Undertow server, PrometheusMeterRegistry registry) {
        this.server = server;
        this.registry = registry;
    }

    /**
     * Binds {@code bind} and serves the supervisor's status.
     *
     * @throws RuntimeException when the address cannot be bound (in use: another supervisor may be running)
     */
    public static SupervisorAdmin start(HostPort bind, Supervisor supervisor) {
        return start(bind, supervisor, reason -> CompletableFuture.completedFuture(
                ReloadOutcome.refused("this supervisor was started without a configuration file to reload")));
    }

    /**
     * As {@link #start(HostPort, Supervisor)}, with {@code POST /reload} calling {@code reload} with its reason.
     *
     * @throws RuntimeException when the address cannot be bound (in use: another supervisor may be running)
     */
    public static SupervisorAdmin start(HostPort bind, Supervisor supervisor,
            Function<String, CompletableFuture<ReloadOutcome>> reload) {
        return start(bind, Optional.empty(), supervisor, reload);
    }

    /**
     * As {@link #start(HostPort, Supervisor, Function)}, asking every request for {@code token} when there is one.
     *
     * @throws RuntimeException when the address cannot be bound (in use: another supervisor may be running)
     */
    public static SupervisorAdmin start(HostPort bind, Optional<AdminToken> token, Supervisor supervisor,
            Function<String, CompletableFuture<ReloadOutcome>> reload) {
        return start(bind, token, supervisor, reload, new VrrpRole());
    }

    /**
     * As {@link #start(HostPort, Optional, Supervisor, Function)}, with {@code POST /vrrp} telling {@code vrrp}, and
     * {@code /status} and {@code /metrics} showing it.
     *
     * @throws RuntimeException when the address cannot be bound (in use: another supervisor may be running)
     */
    public static SupervisorAdmin start(HostPort bind, Optional<AdminToken> token, Supervisor supervisor,
            Function<String, CompletableFuture<ReloadOutcome>> reload, VrrpRole vrrp) {
        return start(bind, token, supervisor, reload, vrrp, null);
    }

    /**
     * As {@link #start(HostPort, Optional, Supervisor, Function, VrrpRole)}, with the runtime control of the servers
     * through {@code servers} (null: {@code /servers} is not served).
     *
     * @throws RuntimeException when the address cannot be bound (in use: another supervisor may be running)
     */
    public static SupervisorAdmin start(HostPort bind, Optional<AdminToken> token, Supervisor supervisor,
            Function<String, CompletableFuture<ReloadOutcome>> reload, VrrpRole vrrp, ServerControl servers) {
        return start(bind, token, supervisor, reload, vrrp, servers, null);
    }

    /**
     * As {@link #start(HostPort, Optional, Supervisor, Function, VrrpRole, ServerControl)}, with the status page
     * {@code page} (null: {@code GET /} is 404 as any unknown path).
     *
     * @throws RuntimeException when the address cannot be bound (in use: another supervisor may be running)
     */
    public static SupervisorAdmin start(HostPort bind, Optional<AdminToken> token, Supervisor supervisor,
            Function<String, CompletableFuture<ReloadOutcome>> reload, VrrpRole vrrp, ServerControl servers,
            StatusPage page) {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(vrrp, "vrrp");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(reload, "reload");
        Objects.requireNonNull(supervisor, "supervisor");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SupervisorMetrics.bind(registry, supervisor, vrrp);
        long pid = ProcessHandle.current().pid();
        RoutingHandler routes = new RoutingHandler()
                .get("/status", blocking(exchange -> send(exchange, "application/json",
                        StatusJson.render(supervisor.status(), vrrp.current(), servers == null ? Optional.empty()
                                : Optional.of(servers.state().notReady()), pid) + "\n")))
                .get("/metrics", blocking(exchange -> send(exchange, "text/plain; version=0.0.4; charset=utf-8",
                        registry.scrape())))
                .get("/health/live", exchange -> send(exchange, "text/plain", "live\n"))
                .post("/reload", blocking(exchange -> {
                    ReloadOutcome outcome = reload.apply("reload requested on " + bind).get(RELOAD_WAIT.toSeconds(),
                            TimeUnit.SECONDS);
                    exchange.setStatusCode(switch (outcome.result()) {
                        case RELOADED -> StatusCodes.OK;
                        case INVALID_CONFIG -> StatusCodes.UNPROCESSABLE_ENTITY;
                        case REFUSED -> StatusCodes.CONFLICT;
                        case FAILED -> StatusCodes.INTERNAL_SERVER_ERROR;
                    });
                    send(exchange, "text/plain", outcome.message() + "\n");
                }))
                .post("/vrrp", blocking(exchange -> tellVrrp(exchange, vrrp)))
                .setFallbackHandler(exchange -> {
                    exchange.setStatusCode(StatusCodes.NOT_FOUND);
                    send(exchange, "text/plain", "not found; try /status, /metrics, /health/live, /servers, POST "
                            + "/reload, POST /vrrp or POST /servers/NAME/state|weight" + (page == null ? ""
                            : ", or / for the status page") + "\n");
                })
                .setInvalidMethodHandler(exchange -> {
                    exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
                    send(exchange, "text/plain", "method not allowed: changes are POST, reads GET\n");
                });
        if (servers != null) {
            new ServerEndpoints(servers).addTo(routes);
        }
        if (page != null) {
            page.addTo(routes);
        }
        Undertow server = Undertow.builder()
                .addHttpListener(bind.port(), bind.host())
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(new AdminAccessHandler(AdminAccess.of(bind, token),
                        page == null ? Set.of() : StatusPage.OPEN_PATHS, routes))
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            registry.close();
            throw new IllegalStateException("cannot listen on " + bind + " (rebound.supervisor.admin.bind): "
                    + rootMessage(e) + "; is another supervisor running?", e);
        }
        return new SupervisorAdmin(server, registry);
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    @Override
    public void close() {
        server.stop();
        registry.close();
    }

    /** {@code POST /vrrp}: a body of at most a few bytes naming the state; anything else is refused unchanged. */
    private static void tellVrrp(HttpServerExchange exchange, VrrpRole vrrp) throws IOException {
        exchange.startBlocking();
        String body;
        try (InputStream in = exchange.getInputStream()) {
            body = new String(in.readNBytes(MAX_VRRP_BODY + 1), StandardCharsets.US_ASCII);
        }
        VrrpRole.State state;
        try {
            if (body.length() > MAX_VRRP_BODY) {
                throw new IllegalArgumentException("VRRP state: a body of at most " + MAX_VRRP_BODY
                        + " bytes (expected: MASTER, BACKUP, FAULT or STOP)");
            }
            state = VrrpRole.State.parse(body);
        } catch (IllegalArgumentException e) {
            exchange.setStatusCode(StatusCodes.BAD_REQUEST);
            send(exchange, "text/plain", e.getMessage() + "\n");
            return;
        }
        Deque<String> at = exchange.getQueryParameters().get("at");
        String reason = "keepalived notify via POST /vrrp";
        VrrpRole.Reported now;
        try {
            now = at == null || at.isEmpty() ? vrrp.tell(state, reason)
                    : vrrp.tell(state, Long.parseLong(at.getFirst()), reason);
        } catch (NumberFormatException e) {
            exchange.setStatusCode(StatusCodes.BAD_REQUEST);
            send(exchange, "text/plain", "at: '" + at.getFirst() + "' (expected: epoch milliseconds)\n");
            return;
        }
        send(exchange, "text/plain", "VRRP " + now.state() + " since "
                + Instant.ofEpochMilli(now.sinceEpochMillis()) + "\n");
    }

    static HttpHandler blocking(HttpHandler handler) {
        return exchange -> {
            if (exchange.isInIoThread()) {
                exchange.dispatch(handler);
            } else {
                handler.handleRequest(exchange);
            }
        };
    }

    static void send(HttpServerExchange exchange, String contentType, String body) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseHeaders().put(NOSNIFF, "nosniff");
        exchange.getResponseSender().send(body);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}

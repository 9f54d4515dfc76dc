package io.rebound.admin;

import io.rebound.balance.ServerPool;
import io.rebound.check.HealthChecker;
import io.rebound.metrics.ProxyMetrics;
import io.rebound.proxy.PlainText;
import io.rebound.runtime.RuntimeControl;
import io.rebound.runtime.RuntimeState;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.util.function.BooleanSupplier;

/**
 * The admin listener's endpoints (design.md): {@code /health/live} answers on the I/O thread, so it proves the I/O
 * threads respond; {@code /health/started}, {@code /health/ready}, {@code /servers} and {@code /metrics}; and
 * {@code POST /runtime-state}, where the supervisor pushes the servers' runtime state (the JSON of
 * {@link RuntimeState}; 200 with the generation applied, 400 when the body is no runtime state, which changes nothing).
 */
public final class AdminHandler implements HttpHandler {
    /** Prometheus text exposition format 0.0.4, what promtool and every scraper read. */
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** A runtime state is a few dozen bytes per server. */
    private static final int MAX_RUNTIME_STATE = 1024 * 1024;
    private static final long PID = ProcessHandle.current().pid();

    private final BooleanSupplier started;
    private final ServerPool pool;
    private final HealthChecker checker;
    private final ProxyMetrics metrics;
    private final RuntimeControl runtime;

    public AdminHandler(BooleanSupplier started, ServerPool pool, HealthChecker checker, ProxyMetrics metrics,
            RuntimeControl runtime) {
        this.started = started;
        this.pool = pool;
        this.checker = checker;
        this.metrics = metrics;
        this.runtime = runtime;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        switch (exchange.getRelativePath()) {
            case "/health/live" -> PlainText.send(exchange, StatusCodes.OK, "live\n");
            case "/health/started" -> started(exchange);
            case "/health/ready" -> ready(exchange);
            case "/servers" -> {
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                exchange.getResponseSender().send(ServersJson.render(checker.health(), pool));
            }
            case "/traffic" -> {
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                exchange.getResponseSender().send(TrafficJson.render(PID, metrics));
            }
            case "/metrics" -> metrics(exchange);
            case "/runtime-state" -> runtimeState(exchange);
            default -> PlainText.send(exchange, StatusCodes.NOT_FOUND,
                    "404 Not found; try /health/live, /health/started, /health/ready, /servers, /traffic, /metrics\n");
        }
    }

    private void started(HttpServerExchange exchange) {
        if (started.getAsBoolean()) {
            PlainText.send(exchange, StatusCodes.OK, "started\n");
        } else {
            PlainText.send(exchange, StatusCodes.SERVICE_UNAVAILABLE, "starting: first health checks running\n");
        }
    }

    private void ready(HttpServerExchange exchange) {
        if (!started.getAsBoolean()) {
            PlainText.send(exchange, StatusCodes.SERVICE_UNAVAILABLE, "not ready: starting\n");
        } else if (pool.upServers().isEmpty()) {
            PlainText.send(exchange, StatusCodes.SERVICE_UNAVAILABLE,
                    "not ready: no server is up (0 of " + pool.all().size() + ")\n");
        } else {
            PlainText.send(exchange, StatusCodes.OK, "ready: " + pool.upServers().size() + " of "
                    + pool.all().size() + " servers up\n");
        }
    }

    private void runtimeState(HttpServerExchange exchange) {
        if (!exchange.getRequestMethod().equals(Methods.POST)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
            PlainText.send(exchange, StatusCodes.METHOD_NOT_ALLOWED, "405 POST the runtime state here\n");
            return;
        }
        exchange.getRequestReceiver().setMaxBufferSize(MAX_RUNTIME_STATE);
        exchange.getRequestReceiver().receiveFullString((done, body) -> {
            RuntimeState state;
            try {
                state = RuntimeState.parse(body);
            } catch (IllegalArgumentException e) {
                PlainText.send(done, StatusCodes.BAD_REQUEST, "400 not a runtime state: " + e.getMessage() + "\n");
                return;
            }
            long applied = runtime.apply(state, "the supervisor, generation " + state.generation());
            done.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            done.getResponseSender().send("{\"generation\": " + applied + "}\n");
        }, (failed, e) -> PlainText.send(failed, StatusCodes.BAD_REQUEST, "400 " + e.getMessage() + "\n"));
    }

    private void metrics(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            // Scraping walks every meter: do it on a worker thread, not on the I/O thread.
            exchange.dispatch(() -> metrics(exchange));
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, PROMETHEUS_TEXT);
        exchange.getResponseSender().send(metrics.scrape());
    }
}

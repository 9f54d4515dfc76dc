package io.rebound.proxy;

import io.rebound.balance.Server;
import io.rebound.metrics.ProxyMetrics;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

/**
 * What happens to every client request before and after {@code ProxyHandler}: counting, the body limit (413), removal
 * of hop-by-hop headers in both directions, forwarded headers that the client cannot forge, and at the end the server
 * metrics and the access log line.
 */
final class FrontendHandler implements HttpHandler {
    private final HttpHandler next;
    private final ProxyMetrics metrics;
    private final long maxRequestBody;
    private final boolean forwardedFor;
    private final boolean accessLog;
    private final ExchangeCompletionListener completion = this::completed;

    FrontendHandler(HttpHandler next, ProxyMetrics metrics, ProxySettings settings) {
        this.next = next;
        this.metrics = metrics;
        this.maxRequestBody = settings.maxRequestBody();
        this.forwardedFor = settings.forwardedFor();
        this.accessLog = settings.accessLog();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        metrics.frontendRequest();
        ExchangeRoute route = new ExchangeRoute(System.nanoTime());
        exchange.putAttachment(ExchangeRoute.KEY, route);
        exchange.addExchangeCompleteListener(completion);
        if (exchange.getRequestContentLength() > maxRequestBody) {
            exchange.setPersistent(false);
            PlainText.send(exchange, StatusCodes.REQUEST_ENTITY_TOO_LARGE,
                    "413 Request body larger than " + maxRequestBody + " bytes\n");
            return;
        }
        HeaderMap headers = exchange.getRequestHeaders();
        if (HopByHopHeaders.strip(headers)) {
            exchange.setPersistent(false);
        }
        if (forwardedFor) {
            // X-Forwarded-For is kept and extended by ProxyHandler; these describe this hop and are set anew.
            headers.remove(Headers.X_FORWARDED_PROTO);
            headers.remove(Headers.X_FORWARDED_HOST);
            headers.remove(Headers.X_FORWARDED_PORT);
            headers.remove(Headers.X_FORWARDED_SERVER);
        }
        exchange.addResponseCommitListener(committing -> HopByHopHeaders.strip(committing.getResponseHeaders()));
        next.handleRequest(exchange);
    }

    private void completed(HttpServerExchange exchange, ExchangeCompletionListener.NextListener next) {
        try {
            ExchangeRoute route = exchange.getAttachment(ExchangeRoute.KEY);
            long nanos = System.nanoTime() - route.startNanos;
            Server server = route.end();
            if (server != null) {
                metrics.server(server).response(exchange.getStatusCode(), nanos);
            }
            if (accessLog) {
                AccessLog.log(exchange, server, nanos);
            }
        } finally {
            next.proceed();
        }
    }
}

package io.rebound.proxy;

import io.rebound.balance.Server;
import io.rebound.http.ChunkedFraming;
import io.rebound.metrics.ProxyMetrics;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

/**
 * What happens to every client request before and after {@code ProxyHandler}: counting; the checks of the head
 * ({@link RequestHeadCheck}: sizes, framing, absolute-form host, one X-Forwarded-For list); the body limit (413) and
 * the strict check of a chunked body; removal of hop-by-hop headers in both directions and forwarded headers that the
 * client cannot forge; reading the body before a server is chosen ({@link RequestBodyBuffer}); and at the end the
 * server metrics and the access log line. A request refused here reaches no server.
 */
final class FrontendHandler implements HttpHandler {
    private final HttpHandler next;
    private final ProxyMetrics metrics;
    private final long maxRequestBody;
    private final boolean forwardedFor;
    private final boolean accessLog;
    private final RequestHeadCheck headCheck;
    private final RequestBodyBuffer bodyBuffer;
    private final ExchangeCompletionListener completion = this::completed;

    FrontendHandler(HttpHandler next, ProxyMetrics metrics, ProxySettings settings) {
        this.next = next;
        this.metrics = metrics;
        this.maxRequestBody = settings.frontend().maxRequestBody();
        this.forwardedFor = settings.forwarding().forwardedFor();
        this.accessLog = settings.process().accessLog();
        this.headCheck = new RequestHeadCheck(settings.frontend().limits());
        this.bodyBuffer = new RequestBodyBuffer(settings.frontend().requestBuffer(),
                settings.timeouts().requestHead().toMillis(),
                FrontendHandler::refuse);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        metrics.frontendRequest();
        ExchangeRoute route = new ExchangeRoute(System.nanoTime());
        exchange.putAttachment(ExchangeRoute.KEY, route);
        exchange.addExchangeCompleteListener(completion);
        ClientConnectionGuard guard = ClientConnectionGuard.of(exchange);
        if (guard != null) {
            guard.requestStarted();
        }
        exchange.addResponseCommitListener(committing -> {
            HopByHopHeaders.strip(committing.getResponseHeaders());
            route.answerRefusal(committing);
        });
        Refusal refusal = headCheck.check(exchange);
        if (refusal == null && exchange.getRequestContentLength() > maxRequestBody) {
            refusal = Refusal.BODY_TOO_LARGE;
        }
        if (refusal == null && guard != null && isChunked(exchange)
                && guard.checkChunkedBody(readWithHead(exchange)) == ChunkedFraming.Verdict.INVALID) {
            refusal = Refusal.INVALID_BODY;
        }
        if (refusal != null) {
            refuse(exchange, refusal);
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
        if (exchange.isRequestComplete()) {
            next.handleRequest(exchange);
            return;
        }
        boolean chunked = isChunked(exchange);
        exchange.addRequestWrapper((factory, ex) -> new BodyLimitConduit(factory.create(), maxRequestBody, route,
                guard, chunked));
        bodyBuffer.readThen(exchange, guard, next);
    }

    /** Answers a request the proxy refuses itself; the connection closes after the answer. */
    static void refuse(HttpServerExchange exchange, Refusal refusal) {
        ExchangeRoute route = exchange.getAttachment(ExchangeRoute.KEY);
        if (route != null) {
            route.refuse(refusal);
            route.refusalAnswered();
        }
        ClientConnectionGuard guard = ClientConnectionGuard.of(exchange);
        if (guard != null) {
            guard.refused(refusal.reason, exchange.getRequestMethod() + " " + exchange.getRequestURI());
        }
        exchange.setPersistent(false);
        PlainText.send(exchange, refusal.status, refusal.answer());
    }

    private static boolean isChunked(HttpServerExchange exchange) {
        return exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
    }

    /** The bytes Undertow read past the request head (the body's start, maybe more), only to look at; or null. */
    private static java.nio.ByteBuffer readWithHead(HttpServerExchange exchange) {
        if (exchange.getConnection() instanceof HttpServerConnection http) {
            PooledByteBuffer extra = http.getExtraBytes();
            return extra == null ? null : extra.getBuffer();
        }
        return null;
    }

    private void completed(HttpServerExchange exchange, ExchangeCompletionListener.NextListener next) {
        try {
            ClientConnectionGuard guard = ClientConnectionGuard.of(exchange);
            if (guard != null) {
                guard.requestEnded();
            }
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

package io.rebound.proxy;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** Short plain-text answers the proxy gives itself (503 no server, 413 body too large). */
public final class PlainText {

    private PlainText() {
    }

    public static void send(HttpServerExchange exchange, int status, String text) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(text);
    }
}

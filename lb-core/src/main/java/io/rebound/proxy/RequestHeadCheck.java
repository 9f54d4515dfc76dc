package io.rebound.proxy;

import io.rebound.http.TransferCoding;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * What the proxy checks and settles in a request head that Undertow parsed, before anything is forwarded: the sizes
 * of {@code rebound.limits}, the framing (Transfer-Encoding), the host of an absolute-form target, and one
 * X-Forwarded-For list. Returns the refusal, or null when the request may go on.
 */
final class RequestHeadCheck {
    private final ClientLimits limits;

    RequestHeadCheck(ClientLimits limits) {
        this.limits = limits;
    }

    Refusal check(HttpServerExchange exchange) {
        Refusal refusal = sizes(exchange);
        if (refusal == null) {
            refusal = framing(exchange.getRequestHeaders());
        }
        if (refusal == null && exchange.isHostIncludedInRequestURI()) {
            refusal = hostFromTarget(exchange);
        }
        if (refusal == null) {
            joinForwardedFor(exchange.getRequestHeaders());
        }
        return refusal;
    }

    private Refusal sizes(HttpServerExchange exchange) {
        String query = exchange.getQueryString();
        long line = exchange.getRequestMethod().length() + 1L + exchange.getRequestURI().length()
                + (query == null || query.isEmpty() ? 0 : 1 + query.length()) + 1 + exchange.getProtocol().length();
        if (line > limits.requestLine()) {
            return Refusal.REQUEST_LINE_TOO_LONG;
        }
        int fields = 0;
        for (HeaderValues values : exchange.getRequestHeaders()) {
            int nameLength = values.getHeaderName().length();
            for (String value : values) {
                fields++;
                if (nameLength + 2 + value.length() > limits.headerField()) {
                    return Refusal.HEADER_FIELD_TOO_LARGE;
                }
            }
        }
        return fields > limits.headerFields() ? Refusal.TOO_MANY_HEADER_FIELDS : null;
    }

    private static Refusal framing(HeaderMap headers) {
        HeaderValues lines = headers.get(Headers.TRANSFER_ENCODING);
        return switch (TransferCoding.of(lines == null ? java.util.List.of() : lines)) {
            case ABSENT, CHUNKED -> null;
            case UNSUPPORTED -> Refusal.UNSUPPORTED_TRANSFER_CODING;
            case INVALID -> Refusal.INVALID_TRANSFER_ENCODING;
        };
    }

    /** RFC 9112 3.2.2: with an absolute-form target, its authority is the host; Host is replaced by it. */
    private static Refusal hostFromTarget(HttpServerExchange exchange) {
        URI target;
        try {
            target = new URI(exchange.getRequestURI());
        } catch (URISyntaxException e) {
            return Refusal.INVALID_TARGET;
        }
        String scheme = target.getScheme();
        String authority = target.getRawAuthority();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || authority == null || authority.isEmpty() || authority.indexOf('@') >= 0) {
            return Refusal.INVALID_TARGET;
        }
        exchange.getRequestHeaders().put(Headers.HOST, authority);
        return null;
    }

    /** Several X-Forwarded-For lines are one list (RFC 9110 5.3); ProxyHandler extends only the first line. */
    private static void joinForwardedFor(HeaderMap headers) {
        HeaderValues lines = headers.get(Headers.X_FORWARDED_FOR);
        if (lines != null && lines.size() > 1) {
            headers.put(Headers.X_FORWARDED_FOR, String.join(", ", lines));
        }
    }
}

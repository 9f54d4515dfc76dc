package io.rebound.admin;

import io.rebound.proxy.PlainText;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a request of an admin listener only when {@link AdminAccess} allows it; otherwise answers 403 (Host, Origin)
 * or 401 (token) with a one-line reason. A refusal is logged once per connection, so that a page retrying on one
 * connection cannot flood the log. Open paths, exact ones given at construction, are read (GET, HEAD) without the
 * token: a page and its scripts that hold no data, which a browser loads without an Authorization header; the Host
 * rule still applies to them.
 */
public final class AdminAccessHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(AdminAccessHandler.class);
    private static final AttachmentKey<Boolean> REFUSAL_LOGGED = AttachmentKey.create(Boolean.class);
    private static final HttpString SEC_FETCH_SITE = new HttpString("Sec-Fetch-Site");
    /** A quoted header value in a reason or log line is cut here: it is the client's text, of any length. */
    private static final int QUOTE_LIMIT = 100;

    private final AdminAccess access;
    private final Set<String> openPaths;
    private final HttpHandler next;

    public AdminAccessHandler(AdminAccess access, HttpHandler next) {
        this(access, Set.of(), next);
    }

    /** As {@link #AdminAccessHandler(AdminAccess, HttpHandler)}, reading {@code openPaths} without the token. */
    public AdminAccessHandler(AdminAccess access, Set<String> openPaths, HttpHandler next) {
        this.access = Objects.requireNonNull(access, "access");
        this.openPaths = Set.copyOf(openPaths);
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Optional<Refusal> refusal = refusal(exchange);
        if (refusal.isEmpty()) {
            next.handleRequest(exchange);
            return;
        }
        Refusal refused = refusal.get();
        if (exchange.getConnection().putAttachment(REFUSAL_LOGGED, Boolean.TRUE) == null) {
            log.warn("Admin listener {} refused a request from {}: {} {} (further refusals on this connection are "
                    + "not logged)", exchange.getDestinationAddress(), exchange.getSourceAddress(), refused.status(),
                    refused.reason());
        }
        if (refused.status() == StatusCodes.UNAUTHORIZED) {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
        }
        PlainText.send(exchange, refused.status(), refused.status() + " " + refused.reason() + "\n");
    }

    /** A refused request's status and why. */
    private record Refusal(int status, String reason) {
    }

    private Optional<Refusal> refusal(HttpServerExchange exchange) {
        int port = exchange.getDestinationAddress().getPort();
        HeaderValues hosts = exchange.getRequestHeaders().get(Headers.HOST);
        if (hosts != null && hosts.size() > 1) {
            return forbidden("more than one Host header");
        }
        String host = hosts == null ? null : hosts.getFirst();
        if (!access.allowsHost(host, port)) {
            return forbidden(host == null ? "a request without Host is served only by an admin listener on loopback"
                    : "Host " + quote(host) + " is not this admin listener; use localhost:" + port + " or its address");
        }
        boolean read = exchange.getRequestMethod().equals(Methods.GET)
                || exchange.getRequestMethod().equals(Methods.HEAD);
        if (!read) {
            String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
            if (origin != null && !access.allowsOrigin(origin, port)) {
                return forbidden(exchange.getRequestMethod() + " from another origin (Origin " + quote(origin)
                        + ")");
            }
            if ("cross-site".equalsIgnoreCase(exchange.getRequestHeaders().getFirst(SEC_FETCH_SITE))) {
                return forbidden(exchange.getRequestMethod() + " from another site (Sec-Fetch-Site: cross-site)");
            }
        }
        if (access.token().isPresent() && !(read && openPaths.contains(exchange.getRequestPath()))) {
            String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
            if (authorization == null) {
                return unauthorized("this admin listener needs the header Authorization: Bearer <token>");
            }
            if (!access.token().get().matches(bearer(authorization))) {
                return unauthorized("wrong token in the Authorization header");
            }
        }
        return Optional.empty();
    }

    /** The credentials of {@code Bearer <credentials>}, or null for any other scheme. */
    private static String bearer(String authorization) {
        String value = authorization.strip();
        return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).strip() : null;
    }

    private static Optional<Refusal> forbidden(String reason) {
        return Optional.of(new Refusal(StatusCodes.FORBIDDEN, "Forbidden: " + reason));
    }

    private static Optional<Refusal> unauthorized(String reason) {
        return Optional.of(new Refusal(StatusCodes.UNAUTHORIZED, "Unauthorized: " + reason));
    }

    /** The client's text in quotes, cut short and with anything but visible ASCII replaced. */
    private static String quote(String text) {
        String cut = text.length() > QUOTE_LIMIT ? text.substring(0, QUOTE_LIMIT) + "..." : text;
        return "'" + cut.replaceAll("[^\\x20-\\x7E]", "?") + "'";
    }
}

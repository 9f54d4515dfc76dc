package io.rebound.proxy;

import io.rebound.http.TransferCoding;
import io.undertow.client.ClientResponse;
import io.undertow.server.Connectors;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.Protocols;
import io.undertow.util.StatusCodes;

/**
 * How a server's response body is delimited, decided as Undertow's HTTP client decides it (its
 * {@code HttpClientConnection.prepareResponseChannel}, and its read listener for closing after the response), so that
 * {@link ResponseFramingConduit} expects the body to end exactly where Undertow stops reading it. {@link #problem}
 * first refuses the heads whose framing a proxy must not guess at (RFC 9112 6.3): Undertow frames by the last
 * Transfer-Encoding if it says chunked, else by the first Content-Length, and passes every one of those lines on to
 * the client, which may read them otherwise.
 *
 * @param length the body's length for {@link Kind#LENGTH}, else 0
 * @param lastOnConnection whether Undertow closes the connection after this response, as the server asked
 */
record BodyFraming(Kind kind, long length, boolean lastOnConnection) {
    /** Content-Length values up to 18 digits: any such value fits a long. */
    private static final int MAX_LENGTH_DIGITS = 18;

    enum Kind {
        /** No body. */
        NONE,
        /** Content-Length bytes. */
        LENGTH,
        /** Chunked transfer coding. */
        CHUNKED,
        /** Everything until the server closes the connection. */
        UNTIL_CLOSE,
        /** The connection carries another protocol from here on. */
        UPGRADE
    }

    /**
     * Why a response head with these fields is refused, or null when its framing is unambiguous: at most one
     * Content-Length line holding only digits, Transfer-Encoding only as exactly {@code chunked}, never both.
     */
    static String problem(HeaderMap headers) {
        HeaderValues transferEncoding = headers.get(Headers.TRANSFER_ENCODING);
        HeaderValues contentLength = headers.get(Headers.CONTENT_LENGTH);
        if (transferEncoding != null) {
            if (contentLength != null) {
                return "Content-Length and Transfer-Encoding together";
            }
            if (TransferCoding.of(transferEncoding) != TransferCoding.Verdict.CHUNKED) {
                return "Transfer-Encoding " + transferEncoding + " (expected: chunked)";
            }
        }
        if (contentLength != null) {
            if (contentLength.size() != 1) {
                return "Content-Length " + contentLength + " (expected: one value)";
            }
            if (!isDigits(contentLength.getFirst())) {
                return "Content-Length " + contentLength.getFirst() + " (expected: 0 or more, in digits)";
            }
        }
        return null;
    }

    /** The framing of {@code response}, whose head passed {@link #problem}, to a request with {@code method}. */
    static BodyFraming of(HttpString method, ClientResponse response) {
        int status = response.getResponseCode();
        HeaderMap headers = response.getResponseHeaders();
        boolean http11 = Protocols.HTTP_1_1.equals(response.getProtocol());
        String connection = headers.getFirst(Headers.CONNECTION);
        boolean last = connection == null ? !http11
                : Headers.CLOSE.equalToString(connection) || !http11 && !Headers.KEEP_ALIVE.equalToString(connection);
        if (status == StatusCodes.SWITCHING_PROTOCOLS || method.equals(Methods.CONNECT) && status / 100 == 2) {
            return new BodyFraming(Kind.UPGRADE, 0, true);
        }
        if (method.equals(Methods.HEAD)) {
            return new BodyFraming(Kind.NONE, 0, last);
        }
        if (headers.contains(Headers.TRANSFER_ENCODING)) {
            return new BodyFraming(Kind.CHUNKED, 0, last);
        }
        String length = headers.getFirst(Headers.CONTENT_LENGTH);
        if (length != null) {
            return new BodyFraming(Kind.LENGTH, Long.parseLong(length), last);
        }
        if (http11 && !Connectors.isEntityBodyAllowed(status)) {
            return new BodyFraming(Kind.NONE, 0, last);
        }
        return new BodyFraming(Kind.UNTIL_CLOSE, 0, true);
    }

    private static boolean isDigits(String value) {
        if (value.isEmpty() || value.length() > MAX_LENGTH_DIGITS) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}

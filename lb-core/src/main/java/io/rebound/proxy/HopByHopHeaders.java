package io.rebound.proxy;

import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.List;

/**
 * Headers that describe one connection, not the message (RFC 9110 7.6.1), and the headers a {@code Connection} header
 * names: the proxy removes them from requests before forwarding and from responses before answering.
 * {@code Transfer-Encoding} stays: Undertow frames the body on each side from it. Framing and routing headers named in
 * {@code Connection} stay too, since removing them would corrupt the message rather than protect it.
 */
final class HopByHopHeaders {
    private static final List<HttpString> HOP_BY_HOP = List.of(Headers.CONNECTION, Headers.KEEP_ALIVE,
            new HttpString("Proxy-Connection"), Headers.PROXY_AUTHENTICATE, Headers.PROXY_AUTHORIZATION, Headers.TE,
            new HttpString("Trailer"), Headers.UPGRADE);
    private static final List<HttpString> PROTECTED = List.of(Headers.HOST, Headers.CONTENT_LENGTH,
            Headers.TRANSFER_ENCODING);

    private HopByHopHeaders() {
    }

    /**
     * Removes the hop-by-hop headers and those named in {@code Connection}.
     *
     * @return whether {@code Connection} carried the {@code close} token anywhere in its list (Undertow only
     *         recognises a header that is exactly "close")
     */
    static boolean strip(HeaderMap headers) {
        boolean close = false;
        HeaderValues connection = headers.get(Headers.CONNECTION);
        if (connection != null) {
            for (String value : connection) {
                for (String token : value.split(",")) {
                    String name = token.trim();
                    if (Headers.CLOSE.equalToString(name)) {
                        close = true;
                    } else if (!name.isEmpty() && PROTECTED.stream().noneMatch(p -> p.equalToString(name))) {
                        headers.remove(name);
                    }
                }
            }
        }
        for (HttpString name : HOP_BY_HOP) {
            headers.remove(name);
        }
        return close;
    }
}

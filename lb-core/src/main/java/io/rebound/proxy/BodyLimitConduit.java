package io.rebound.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.xnio.conduits.StreamSourceConduit;

/**
 * The request body as the proxy reads it, decoded: it stops a body at {@code max-request-body} (Content-Length is
 * checked up front; a chunked body only here) and notes on the exchange's route why a body failed, so that the answer
 * is 413 or 400 rather than Undertow's 500. A failure is an {@link IOException} to the reader: while the body streams
 * to a server, {@code ProxyHandler} then closes the server connection, which {@link AbortingClientConnection} resets.
 */
final class BodyLimitConduit extends ReadThroughConduit {
    private final long maxBody;
    private final ExchangeRoute route;
    private final ClientConnectionGuard guard;
    private final boolean chunked;
    private long read;

    BodyLimitConduit(StreamSourceConduit next, long maxBody, ExchangeRoute route, ClientConnectionGuard guard,
                     boolean chunked) {
        super(next);
        this.chunked = chunked;
        this.maxBody = maxBody;
        this.route = route;
        this.guard = guard;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n;
        try {
            n = next.read(dst);
        } catch (IOException e) {
            // Undertow's chunked decoder fails on bad framing; a Content-Length body fails only when it ends early.
            route.refuse(guard != null && guard.failure() != null ? guard.failure()
                    : chunked ? Refusal.INVALID_BODY : Refusal.CUT_BODY);
            throw e;
        }
        if (n > 0) {
            read += n;
            if (read > maxBody) {
                route.refuse(Refusal.BODY_TOO_LARGE);
                throw new IOException("request body larger than max-request-body " + maxBody + " bytes");
            }
        }
        return n;
    }



}

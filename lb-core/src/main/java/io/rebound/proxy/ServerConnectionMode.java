package io.rebound.proxy;

/** {@code rebound.server-connection}: whether connections to servers are pooled or opened per request. */
public enum ServerConnectionMode {
    /** Pooled connections reused across requests, closed after {@code timeouts.pool-idle} of idleness. */
    KEEP_ALIVE,
    /** A new connection per request, closed after the response (HAProxy: option httpclose). */
    CLOSE
}

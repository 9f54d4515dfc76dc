package io.rebound.proxy;

import io.rebound.metrics.ProxyMetrics;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where refusals of client requests go: {@code rebound_frontend_request_errors_total{reason}} counts each, and the log
 * gets one WARN line per connection at most (the caller keeps track), so a client cannot flood the log.
 */
final class FrontendErrors {
    private static final Logger log = LoggerFactory.getLogger(FrontendErrors.class);
    /** Refusals that the connection guard makes or sees, beside those of {@link Refusal}. */
    static final String[] CONNECTION_REASONS = {"request-head-timeout", "request-head-too-large", "malformed-request",
        "unfinished-heads"};

    private final ProxyMetrics metrics;

    FrontendErrors(ProxyMetrics metrics) {
        this.metrics = metrics;
        for (Refusal refusal : Refusal.values()) {
            metrics.frontendError(refusal.reason, 0);
        }
        for (String reason : CONNECTION_REASONS) {
            metrics.frontendError(reason, 0);
        }
    }

    void count(String reason) {
        metrics.frontendError(reason, 1);
    }

    void log(String reason, String detail, SocketAddress peer) {
        log.warn("Refused a request from {}: {} ({}); further refusals on this connection are counted, not logged",
                peer, reason, detail);
    }
}

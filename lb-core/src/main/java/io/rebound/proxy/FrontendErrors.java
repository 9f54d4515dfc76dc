package io.rebound.proxy;

import io.rebound.metrics.ProxyMetrics;
import java.net.SocketAddress;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where refusals of client requests go: {@code rebound_frontend_request_errors_total{reason}} counts each, and the log
 * gets one WARN line per connection at most (the caller keeps track) and {@value #LINES_PER_SECOND} lines a second at
 * most over all connections, then one line saying how many were left out. So an attack from many connections cannot
 * flood the log, nor stall the I/O threads on a log pipe that fills up.
 */
final class FrontendErrors {
    private static final Logger log = LoggerFactory.getLogger(FrontendErrors.class);
    /** Refusals that the connection guard makes or sees, beside those of {@link Refusal}. */
    static final String[] CONNECTION_REASONS = {"request-head-timeout", "request-head-too-large", "malformed-request",
        "unfinished-heads"};

    static final int LINES_PER_SECOND = 10;
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final ProxyMetrics metrics;
    private final LongSupplier nanoClock;
    private long windowStart;
    private int linesInWindow;
    private long leftOut;

    FrontendErrors(ProxyMetrics metrics) {
        this(metrics, System::nanoTime);
    }

    FrontendErrors(ProxyMetrics metrics, LongSupplier nanoClock) {
        this.metrics = metrics;
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong() - SECOND_NANOS;
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
        long notLogged = 0;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (now - windowStart >= SECOND_NANOS) {
                notLogged = leftOut;
                windowStart = now;
                linesInWindow = 0;
                leftOut = 0;
            }
            if (linesInWindow >= LINES_PER_SECOND) {
                leftOut++;
                return;
            }
            linesInWindow++;
        }
        if (notLogged > 0) {
            log.warn("{} more refused connections were not logged (at most {} lines a second); "
                    + "rebound_frontend_request_errors_total counts them all", notLogged, LINES_PER_SECOND);
        }
        log.warn("Refused a request from {}: {} ({}); further refusals on this connection are counted, not logged",
                peer, reason, detail);
    }
}

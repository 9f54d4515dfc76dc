package io.rebound.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rebound.balance.ServerPool;
import io.rebound.metrics.ProxyMetrics;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FrontendErrorsTest {

    @Test
    void refusalsAreAllCountedButLoggedAtMostTenLinesASecond_thenOneLineSaysHowManyWereLeftOut() {
        AtomicLong now = new AtomicLong(5_000_000_000L);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Logger logger = (Logger) LoggerFactory.getLogger(FrontendErrors.class);
        logger.addAppender(lines);
        try (ProxyMetrics metrics = new ProxyMetrics(new ServerPool(List.of()))) {
            FrontendErrors errors = new FrontendErrors(metrics, now::get);
            InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 40000);
            for (int i = 0; i < 25; i++) {
                errors.count("malformed-request");
                errors.log("malformed-request", "attempt " + i, peer);
            }
            assertEquals(FrontendErrors.LINES_PER_SECOND, lines.list.size());
            now.addAndGet(1_000_000_000L);
            errors.log("malformed-request", "a second later", peer);
            assertEquals(FrontendErrors.LINES_PER_SECOND + 2, lines.list.size());
            assertTrue(lines.list.get(FrontendErrors.LINES_PER_SECOND).getFormattedMessage()
                    .startsWith("15 more refused connections were not logged"),
                    lines.list.get(FrontendErrors.LINES_PER_SECOND).getFormattedMessage());
            assertTrue(metrics.scrape().contains(
                    "rebound_frontend_request_errors_total{reason=\"malformed-request\"} 25.0"), metrics.scrape());
        } finally {
            logger.detachAppender(lines);
        }
    }
}

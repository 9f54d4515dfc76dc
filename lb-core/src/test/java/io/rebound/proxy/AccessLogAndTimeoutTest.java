package io.rebound.proxy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rebound.testing.Http;
import io.rebound.testing.TestBackend;
import io.rebound.testing.TestProxy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AccessLogAndTimeoutTest {
    private final Logger accessLogger = (Logger) LoggerFactory.getLogger("rebound.access");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private TestBackend backend;
    private TestProxy proxy;

    @AfterEach
    void stop() {
        accessLogger.detachAppender(lines);
        if (proxy != null) {
            proxy.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void eachRequestWritesOneAccessLineWithClientMethodPathStatusServerAndDuration() {
        lines.start();
        accessLogger.addAppender(lines);
        backend = TestBackend.start("apache1");
        proxy = TestProxy.start(List.of(backend), "").awaitAllUp();
        Http.get(proxy.uri("/some/path?x=1"));
        await("an access line is written").atMost(Duration.ofSeconds(5)).until(() -> !lines.list.isEmpty());
        String line = lines.list.get(0).getFormattedMessage();
        assertTrue(line.matches("127\\.0\\.0\\.1 \"GET /some/path\" 200 apache1 \\d+\\.\\d{3}ms"), line);
    }

    @Test
    void accessLogOffWritesNoLines() {
        lines.start();
        accessLogger.addAppender(lines);
        backend = TestBackend.start("apache1");
        proxy = TestProxy.start(List.of(backend), "rebound.access-log = off\n").awaitAllUp();
        assertEquals(200, Http.get(proxy.uri("/")).statusCode());
        assertEquals(List.of(), lines.list);
    }

    @Test
    void aServerSlowerThanTheResponseTimeoutGets504AndTheProxyKeepsServing() {
        backend = TestBackend.start("apache1");
        proxy = TestProxy.start(List.of(backend), "rebound.timeouts.response = 300ms\n").awaitAllUp();
        backend.delay(2000);
        assertEquals(504, Http.get(proxy.uri("/")).statusCode());
        backend.delay(0);
        assertEquals(200, Http.get(proxy.uri("/")).statusCode());
    }

    @Test
    void durationsAreWrittenInMillisecondsWithThreeDecimals() {
        assertEquals("0.005", AccessLog.millis(5_000));
        assertEquals("12.050", AccessLog.millis(12_050_000));
        assertEquals("1500.123", AccessLog.millis(1_500_123_000));
    }
}

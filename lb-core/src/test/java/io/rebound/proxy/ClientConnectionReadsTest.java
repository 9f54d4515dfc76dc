package io.rebound.proxy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.testing.ClosedAfterEach;
import io.rebound.testing.Http;
import io.rebound.testing.RawConnection;
import io.rebound.testing.TestBackend;
import io.rebound.testing.TestProxy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client connection's reads while its request is served: the proxy stops reading it once a request head is whole
 * and reads again after the response ({@link LazyReadSuspension} keeps the socket registered meanwhile). What a
 * client can see of that: the idle limit never cuts a request being served, pipelined requests are answered in order,
 * a client's FIN is noticed after the response, an idle connection is closed.
 */
class ClientConnectionReadsTest {
    private TestBackend backend;
    private TestProxy proxy;

    @RegisterExtension
    final ClosedAfterEach started = new ClosedAfterEach();

    private void start(String extraHocon) {
        backend = started.add(TestBackend.start("apache1"));
        proxy = started.add(TestProxy.start(List.of(backend), extraHocon)).awaitAllUp();
    }

    @Test
    void aResponseSlowerThanTheClientIdleLimitIsAnsweredWholeAndTheConnectionStaysUsable() {
        // Why Undertow suspends reads while a request is served: so that no idle or read time-out fires on a
        // connection that is waiting for its response, not for the client.
        start("rebound.timeouts.client-idle = 300ms\n");
        backend.delayTraffic(1000);
        try (RawConnection client = RawConnection.open(proxy.port())) {
            String slow = client.send(RawConnection.get("/slow")).readResponse();
            assertTrue(slow.startsWith("HTTP/1.1 200"), RawConnection.escape(slow));
            assertEquals("apache1\n", RawConnection.body(slow));
            backend.delayTraffic(0);
            String next = client.send(RawConnection.get("/next")).readResponse();
            assertTrue(next.startsWith("HTTP/1.1 200"), RawConnection.escape(next));
        }
    }

    @Test
    void aConnectionIdleForTheClientIdleLimitAfterItsResponseIsClosed() {
        start("rebound.timeouts.client-idle = 300ms\n");
        try (RawConnection client = RawConnection.open(proxy.port())) {
            String first = client.send(RawConnection.get("/")).readResponse();
            assertTrue(first.startsWith("HTTP/1.1 200"), RawConnection.escape(first));
            assertEquals("", client.readUntilClosed());
        }
    }

    @Test
    void aRequestPipelinedWhileTheFirstIsServedIsAnsweredAfterIt() {
        start("");
        backend.delayTraffic(500);
        try (RawConnection client = RawConnection.open(proxy.port())) {
            client.send(RawConnection.get("/first"));
            await("the first request reached the server").atMost(Duration.ofSeconds(5))
                    .until(() -> backend.trafficRequests() == 1);
            client.send(RawConnection.get("/second"));
            String first = client.readResponse();
            String second = client.readResponse();
            assertTrue(first.startsWith("HTTP/1.1 200"), RawConnection.escape(first));
            assertTrue(second.startsWith("HTTP/1.1 200"), RawConnection.escape(second));
            assertEquals(2, backend.trafficRequests());
        }
    }

    @Test
    void requestsPipelinedInOneWriteAreAnsweredInOrder() {
        start("");
        try (RawConnection client = RawConnection.open(proxy.port())) {
            client.send(RawConnection.get("/a") + RawConnection.get("/b") + RawConnection.get("/c"));
            for (int i = 0; i < 3; i++) {
                String response = client.readResponse();
                assertTrue(response.startsWith("HTTP/1.1 200"), RawConnection.escape(response));
            }
            assertEquals(3, backend.trafficRequests());
        }
    }

    @Test
    void aClientThatFinishesSendingDuringASlowResponseGetsItAndTheConnectionCloses() {
        start("");
        backend.delayTraffic(500);
        try (RawConnection client = RawConnection.open(proxy.port())) {
            client.send(RawConnection.get("/slow"));
            await("the request reached the server").atMost(Duration.ofSeconds(5))
                    .until(() -> backend.trafficRequests() == 1);
            client.shutdownOutput();
            String received = client.readUntilClosed();
            assertTrue(received.startsWith("HTTP/1.1 200"), RawConnection.escape(received));
            assertTrue(received.endsWith("\r\n\r\napache1\n"), RawConnection.escape(received));
        }
        await("the proxy counts no open client connection").atMost(Duration.ofSeconds(5)).until(() ->
                Http.get(proxy.adminUri("/metrics")).body().contains("rebound_frontend_current_connections 0.0"));
    }
}

package io.rebound.proxy;

import static org.awaitility.Awaitility.await;

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
 * {@code rebound_frontend_current_connections}: the client connections open on the traffic listener, counted by the
 * proxy as it accepts and closes them (Undertow's statistics, which would count them too, cost on every request).
 */
class CurrentConnectionsTest {
    private TestBackend backend;
    private TestProxy proxy;

    @RegisterExtension
    final ClosedAfterEach started = new ClosedAfterEach();

    @Test
    void theGaugeFollowsClientConnectionsAsTheyOpenAndClose() {
        backend = started.add(TestBackend.start("apache1"));
        proxy = started.add(TestProxy.start(List.of(backend), "")).awaitAllUp();
        awaitGauge(0);
        try (RawConnection first = RawConnection.open(proxy.port())) {
            first.send(RawConnection.get("/")).readResponse();
            try (RawConnection second = RawConnection.open(proxy.port())) {
                second.send(RawConnection.get("/")).readResponse();
                awaitGauge(2);
            }
            awaitGauge(1);
        }
        awaitGauge(0);
    }

    @Test
    void aConnectionEndedByTheProxyCountsUntilTheClientHasClosedItsSideToo() {
        backend = started.add(TestBackend.start("apache1"));
        proxy = started.add(TestProxy.start(List.of(backend), "")).awaitAllUp();
        try (RawConnection client = RawConnection.open(proxy.port())) {
            client.send("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").readUntilClosed();
            // The proxy has sent its FIN after the response and waits for the client's: the connection is open still.
            awaitGauge(1);
        }
        awaitGauge(0);
    }

    private void awaitGauge(int connections) {
        await("current connections " + connections).atMost(Duration.ofSeconds(5)).until(() ->
                Http.get(proxy.adminUri("/metrics")).body()
                        .contains("rebound_frontend_current_connections " + connections + ".0\n"));
    }
}

package io.rebound.proxy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rebound.testing.Http;
import io.rebound.testing.ProxyFixture;
import io.rebound.testing.TestBackend;
import io.rebound.testing.TestProxy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

class ConnectionPoolingTest {
    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();
    private TestProxy proxy;

    @Test
    void twoHundredConcurrentRequestsOverThreeServersAllSucceedByQueueingForConnections() {
        for (String name : List.of("apache1", "apache2", "apache3")) {
            fixture.backend(name).delay(20);
        }
        // Four connections per server and I/O thread: most of the 200 requests must wait for one.
        proxy = fixture.start("rebound.max-connections-per-server = 4\n").awaitAllUp();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            responses.add(Http.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/")).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        Map<Integer, Integer> statuses = new HashMap<>();
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            statuses.merge(response.join().statusCode(), 1, Integer::sum);
        }
        assertEquals(Map.of(200, 200), statuses);
    }

    @Test
    void aPooledConnectionIdlePastTheServersKeepAliveTimeoutIsNeverReusedIntoAnError() {
        // The pool gives connections up after 150 ms, before the server does. No retries: a reused dead connection
        // would reach the client as an error.
        assertNoErrorsWhileTheServerClosesIdleConnections("rebound.timeouts.pool-idle = 150ms\nrebound.retries = 0\n");
    }

    @Test
    void aGetWhosePooledConnectionTheServerClosedIsRetriedWithoutAnError() {
        // Misconfigured on purpose: pool-idle above the server's keep-alive timeout. The retry of an idempotent
        // request whose connection closed before any response byte still keeps the client free of errors.
        assertNoErrorsWhileTheServerClosesIdleConnections("rebound.timeouts.pool-idle = 1h\nrebound.retries = 1\n");
    }

    /** The server closes connections idle for 300 ms (Apache's KeepAliveTimeout, shortened). */
    private void assertNoErrorsWhileTheServerClosesIdleConnections(String hocon) {
        TestBackend backend = fixture.add(TestBackend.startWithKeepAliveTimeout("apache1", 300));
        proxy = fixture.start(hocon + "rebound.check { interval = 1h, timeout = 1s }\n").awaitAllUp();
        for (int round = 0; round < 3; round++) {
            assertEquals(200, Http.get(proxy.uri("/")).statusCode(), "round " + round);
            await("the idle server connection is closed").atMost(Duration.ofSeconds(5))
                    .until(() -> backend.activeConnections() == 0);
        }
        assertEquals(200, Http.get(proxy.uri("/")).statusCode());
    }

    @Test
    void keepAliveModeReusesOneServerConnectionForSequentialRequests() {
        TestBackend backend = fixture.backend("apache1");
        proxy = fixture.start("rebound.check { interval = 1h, timeout = 1s }\n").awaitAllUp();
        for (int i = 0; i < 20; i++) {
            assertEquals(200, Http.get(proxy.uri("/")).statusCode());
        }
        // The client side may use one connection per proxy I/O thread; no more.
        long open = backend.activeConnections();
        org.junit.jupiter.api.Assertions.assertTrue(open >= 1 && open <= 2, "server connections: " + open);
    }
}

package io.rebound.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.testing.DroppingServer;
import io.rebound.testing.Http;
import io.rebound.testing.TestProxy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that closes a kept-alive connection just as the next request arrives on it, without a byte of answer (its
 * keep-alive timeout fired, or it was restarted, and the proxy had not seen the close yet). The server is not at
 * fault: the proxy retries the idempotent request on a new connection, to that server too, so a backend with one
 * server left gives its client no error.
 */
class ReusedConnectionRetryTest {
    private DroppingServer server;
    private TestProxy proxy;

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aGetWhoseReusedConnectionTheOnlyServerClosedIsRetriedOnANewConnectionToIt() throws Exception {
        server = DroppingServer.start(DroppingServer.Policy.CLOSE_REUSED);
        proxy = TestProxy.start("rebound.servers = [{ name = apache1, address = \"" + server.address() + "\" }]\n"
                + "rebound.timeouts.pool-idle = 1h\nrebound.check { interval = 1h, timeout = 1s }\n").awaitAllUp();

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            var answer = Http.get(proxy.uri("/"));
            answers.add(answer.statusCode() + " " + answer.body().strip());
        }

        assertEquals(List.of("200 ok", "200 ok", "200 ok", "200 ok", "200 ok", "200 ok", "200 ok", "200 ok", "200 ok",
                "200 ok"), answers);
        assertTrue(server.dropped() > 0, "the server closed reused connections");
        String metrics = Http.get(proxy.adminUri("/metrics")).body();
        assertTrue(metrics.contains("rebound_server_retries_total{server=\"apache1\"} " + server.dropped() + ".0"),
                "each close counted as one retry (" + server.dropped() + "):\n" + metrics.lines()
                        .filter(line -> line.startsWith("rebound_server_retries_total"))
                        .collect(Collectors.joining("\n")));
    }

    @Test
    void aGetWhoseNewConnectionTheServerClosedIsNotRetriedOnItAgain() throws Exception {
        server = DroppingServer.start(DroppingServer.Policy.CLOSE_EVERY_REQUEST);
        proxy = TestProxy.start("rebound.servers = [{ name = apache1, address = \"" + server.address() + "\" }]\n"
                + "rebound.check { interval = 1h, timeout = 1s }\n").awaitAllUp();

        assertEquals(503, Http.get(proxy.uri("/")).statusCode());
        assertEquals(1, server.dropped(), "tried once on a new connection, then given up on");
    }
}

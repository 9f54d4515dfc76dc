package io.rebound.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.testing.DroppingServer;
import io.rebound.testing.Http;
import io.rebound.testing.TestBackend;
import io.rebound.testing.TestProxy;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that takes a request and resets the connection without a byte of answer, as a server killed with
 * {@code kill -9} after accepting does: an idempotent request is retried on another server, once, so the client gets
 * one answer and no error.
 */
class ServerResetTest {
    private TestBackend healthy;
    private DroppingServer resetting;
    private TestProxy proxy;

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (healthy != null) {
            healthy.close();
        }
        if (resetting != null) {
            resetting.close();
        }
    }

    @Test
    void getsThatAServerResetsBeforeAnsweringAreRetriedOnAnotherServer_withoutAnErrorOrASecondAnswer()
            throws Exception {
        healthy = TestBackend.start("apache1");
        resetting = DroppingServer.start(DroppingServer.Policy.RESET_EVERY_REQUEST);
        proxy = TestProxy.start(List.of(healthy), "rebound.servers += { name = resetter, address = \""
                + resetting.address() + "\" }\nrebound.retries = 2\n").awaitAllUp();

        Map<String, Integer> answers = new TreeMap<>();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 20; i++) {
                responses.add(Http.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/"))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> response : responses) {
                HttpResponse<String> answer = response.handle((ok, failed) -> ok).join();
                answers.merge(answer == null ? "no answer" : answer.statusCode() + " " + answer.body().strip(), 1,
                        Integer::sum);
            }
            responses.clear();
        }

        assertTrue(resetting.dropped() > 0, "the resetting server was sent requests");
        assertEquals(Map.of("200 apache1", 400), answers);
        assertEquals(400, healthy.trafficRequests(), "each request answered once, by the healthy server");
        String metrics = Http.get(proxy.adminUri("/metrics")).body();
        assertTrue(metrics.contains("rebound_server_retries_total{server=\"resetter\"} " + resetting.dropped() + ".0"),
                "each reset counted as one retry away from the resetting server (" + resetting.dropped() + "):\n"
                        + metrics.lines().filter(line -> line.startsWith("rebound_server_retries_total"))
                        .collect(Collectors.joining("\n")));
    }
}

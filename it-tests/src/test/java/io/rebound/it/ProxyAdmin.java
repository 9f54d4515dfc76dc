package io.rebound.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The proxy's admin listener (docs/design.md): /health/ready, /servers, /metrics. */
final class ProxyAdmin {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;

    ProxyAdmin(int port) {
        this.port = port;
    }

    int readyStatus() throws IOException {
        return Http.get(port, "/health/ready").status();
    }

    /** Server name to state ("up" or "down") as /servers reports it. */
    Map<String, String> serverStates() throws IOException {
        HttpAnswer answer = Http.get(port, "/servers");
        if (answer.status() != 200) {
            throw new IOException("/servers answered " + answer.status() + ": " + answer.body());
        }
        JsonNode servers = JSON.readTree(answer.body());
        Map<String, String> states = new LinkedHashMap<>();
        for (JsonNode server : servers) {
            states.put(server.path("name").asText(), server.path("state").asText());
        }
        return states;
    }

    /** The address /servers says {@code name} uses now ("resolved"), or "null". */
    String resolvedAddress(String name) throws IOException {
        HttpAnswer answer = Http.get(port, "/servers");
        for (JsonNode server : JSON.readTree(answer.body())) {
            if (server.path("name").asText().equals(name)) {
                return server.path("resolved").asText();
            }
        }
        throw new IOException("no server " + name + " in /servers: " + answer.body());
    }

    MetricsText metrics() throws IOException {
        return MetricsText.scrape(port);
    }

    /** {@code rebound_server_up{server=name}}: 1 up, 0 down. */
    double serverUpMetric(String name) throws IOException {
        return metrics().value("rebound_server_up", Map.of("server", name));
    }

    /** Waits until /servers shows {@code name} in {@code state}; fails after {@code timeout}. */
    void awaitState(String name, String state, Duration timeout) {
        await("/servers showing " + name + " " + state)
                .atMost(timeout).ignoreExceptionsInstanceOf(Exception.class)
                .until(this::serverStates, states -> state.equals(states.get(name)));
    }

    void awaitAllUp(List<ApacheServer> servers, Duration timeout) {
        await("/servers showing every server up")
                .atMost(timeout).ignoreExceptionsInstanceOf(Exception.class)
                .until(this::serverStates,
                        states -> servers.stream().allMatch(server -> "up".equals(states.get(server.name()))));
    }
}

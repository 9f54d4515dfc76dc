package io.rebound.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Reads a supervisor's {@code /status} and {@code /metrics} in tests; empty while nothing answers. */
final class AdminClient {
    private final HttpClient client = HttpClient.newHttpClient();
    private final int port;

    AdminClient(int port) {
        this.port = port;
    }

    Optional<Config> status() {
        return get("/status").map(body -> ConfigFactory.parseString(body,
                ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON)));
    }

    /** The Prometheus text of {@code /metrics}, or "" while nothing answers. */
    String metrics() {
        return get("/metrics").orElse("");
    }

    /** The JSON of {@code /events}, the timeline of restarts and reloads, or "" while nothing answers. */
    String events() {
        return get("/events").orElse("");
    }

    private Optional<String> get(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build();
            return Optional.of(client.send(request, HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The running child's pid, when the supervisor answers and its child is running. */
    Optional<Long> runningChildPid() {
        return status().filter(status -> status.getString("state").equals("RUNNING"))
                .map(status -> status.getLong("childPid"));
    }

    /** The warm standby child's pid, when the supervisor answers and its standby is ready. */
    Optional<Long> readyStandbyPid() {
        return status().filter(status -> status.hasPath("standbyReady") && status.getBoolean("standbyReady"))
                .map(status -> status.getLong("standbyPid"));
    }
}

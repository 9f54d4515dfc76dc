package io.rebound.supervisor;

import io.rebound.admin.AdminToken;
import io.rebound.config.HostPort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Asks the child's admin listener one of its {@code /health/*} questions, with the child's admin token when it has
 * one. A probe passes on a 200 within the timeout; anything else (refused, timed out, another status) fails, with a
 * detail for the log.
 */
final class HealthProbe implements Prober {
    private final HttpClient client;
    private final Optional<AdminToken> token;

    HealthProbe(Optional<AdminToken> token) {
        this.token = Objects.requireNonNull(token, "token");
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1))
                .build();
    }

    @Override
    public CompletableFuture<Outcome> ask(HostPort admin, Probe probe, Duration timeout) {
        String path = probe.path();
        URI uri = URI.create("http://" + probeAddress(admin) + "/" + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        token.ifPresent(secret -> request.header("Authorization", secret.authorization()));
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                        return new Outcome(false, path + ": " + cause);
                    }
                    String body = response.body().strip();
                    return new Outcome(response.statusCode() == 200,
                            path + ": " + response.statusCode() + (body.isEmpty() ? "" : " " + abbreviate(body)));
                });
    }

    /** A wildcard bind address answers on loopback. */
    private static String probeAddress(HostPort admin) {
        String host = admin.host();
        if (host.equals("0.0.0.0")) {
            return new HostPort("127.0.0.1", admin.port()).toString();
        }
        if (host.equals("::")) {
            return new HostPort("::1", admin.port()).toString();
        }
        return admin.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}

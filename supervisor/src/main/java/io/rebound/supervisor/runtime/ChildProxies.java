package io.rebound.supervisor.runtime;

import io.rebound.admin.AdminToken;
import io.rebound.config.HostPort;
import io.rebound.runtime.RuntimeState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's requests to its proxy children's admin listeners, with their token: it pushes the runtime state
 * ({@code POST /runtime-state}) and reads their {@code /servers} and {@code /traffic}. Every child is asked at once;
 * one that does not answer in time is left out, which is harmless: a child that is starting reads the state file once
 * its admin listener is up, so it misses no change, and the traffic sampler counts its requests at its next answer.
 */
public final class ChildProxies {
    private static final Logger log = LoggerFactory.getLogger(ChildProxies.class);
    /** A proxy answers its admin on an I/O thread in microseconds; a second covers a busy machine. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final Optional<AdminToken> token;

    public ChildProxies(Optional<AdminToken> token) {
        this.token = Objects.requireNonNull(token, "token");
    }

    /** Pushes {@code state} to every admin address; returns how many proxies applied it (or a newer one). */
    int push(List<HostPort> admins, RuntimeState state) {
        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        for (HostPort admin : admins) {
            HttpRequest request = request(admin, "/runtime-state")
                    .POST(HttpRequest.BodyPublishers.ofString(state.toJson())).build();
            answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
                if (failure != null || response.statusCode() != 200) {
                    log.debug("Proxy at {} not told generation {} ({}); it reads the state file when it starts",
                            admin, state.generation(), failure != null ? failure.toString() : response.statusCode());
                    return false;
                }
                return true;
            }));
        }
        return (int) answers.stream().map(CompletableFuture::join).filter(Boolean::booleanValue).count();
    }

    /** The {@code /servers} JSON of each proxy that answers, in the order of {@code admins}. */
    List<String> servers(List<HostPort> admins) {
        return read(admins, "/servers");
    }

    /** The {@code /traffic} JSON (its counters since it started) of each proxy that answers. */
    public List<String> traffic(List<HostPort> admins) {
        return read(admins, "/traffic");
    }

    private List<String> read(List<HostPort> admins, String path) {
        List<CompletableFuture<Optional<String>>> answers = new ArrayList<>();
        for (HostPort admin : admins) {
            answers.add(client.sendAsync(request(admin, path).GET().build(), HttpResponse.BodyHandlers.ofString())
                    .handle((response, failure) -> failure == null && response.statusCode() == 200
                            ? Optional.of(response.body()) : Optional.empty()));
        }
        return answers.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList();
    }

    private HttpRequest.Builder request(HostPort admin, String path) {
        String host = switch (admin.host()) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::" -> "::1";
            default -> admin.host();
        };
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + new HostPort(host, admin.port())
                + path)).timeout(TIMEOUT);
        token.ifPresent(secret -> request.header("Authorization", secret.authorization()));
        return request;
    }
}

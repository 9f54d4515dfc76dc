package io.rebound.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code rebound servers} and {@code rebound server}'s requests to the supervisor's runtime control: {@code GET
 * /servers} and {@code POST /servers/NAME/state|weight}, with the supervisor's token and a User-Agent naming the
 * command and the user, which the supervisor writes into the change's log line.
 */
final class ServersClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A status code and the JSON answered. */
    record Answer(int status, Config json) {
        String error() {
            return json.hasPath("error") ? json.getString("error") : json.root().render();
        }
    }

    private final AdminAddress admin;
    private final String userAgent;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    ServersClient(AdminAddress admin, String command) {
        this.admin = admin;
        this.userAgent = "rebound " + command + " (user " + System.getProperty("user.name") + ", pid "
                + ProcessHandle.current().pid() + ")";
    }

    /** {@code GET /servers}. @throws IOException when no supervisor answers, or not with a server list */
    Config servers() throws IOException {
        Answer answer = send(admin.request("/servers").GET());
        if (answer.status() != 200 || !answer.json().hasPath("servers")) {
            throw new IOException("/servers answered " + answer.status() + ": " + answer.json().root().render());
        }
        return answer.json();
    }

    /** {@code POST /servers/NAME/WHAT} with {@code value}. @throws IOException when no supervisor answers */
    Answer change(String name, String what, String value) throws IOException {
        String path = "/servers/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + "/" + what;
        return send(admin.request(path).POST(HttpRequest.BodyPublishers.ofString(value)));
    }

    private Answer send(HttpRequest.Builder request) throws IOException {
        HttpResponse<String> response;
        try {
            response = client.send(request.timeout(TIMEOUT).header("User-Agent", userAgent)
                    .header("Content-Type", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try {
            return new Answer(response.statusCode(), ConfigFactory.parseString(response.body(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON)));
        } catch (com.typesafe.config.ConfigException e) {
            throw new IOException(admin + " answered " + response.statusCode() + " without JSON: "
                    + response.body().strip(), e);
        }
    }

    @Override
    public String toString() {
        return admin.toString();
    }
}

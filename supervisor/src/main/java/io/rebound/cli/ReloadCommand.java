package io.rebound.cli;

import io.rebound.config.ConfigException;
import io.rebound.config.ExitCodes;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code rebound reload [--config FILE]}: asks the supervisor at {@code rebound.supervisor.admin.bind} to reload the
 * configuration file it runs with ({@code POST /reload}, the same as SIGHUP) and prints the outcome. Exit 0 when the
 * new proxy serves, 78 when the file is invalid (nothing changed), 1 when the reload was refused or the new proxy
 * failed (the old one keeps serving), 69 when no supervisor answers.
 */
final class ReloadCommand {
    /** Long enough for a new proxy to start (start-timeout is 30 s by default). */
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private ReloadCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Optional<Path> file;
        try {
            file = ConfigOption.parse(args);
        } catch (IllegalArgumentException e) {
            return Main.usage(err, "reload: " + e.getMessage());
        }
        AdminAddress admin;
        try {
            admin = AdminAddress.supervisor(file);
        } catch (ConfigException e) {
            err.println("rebound reload: invalid configuration: " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        HttpResponse<String> response;
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(3)).build();
            HttpRequest request = admin.request("/reload").timeout(TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("rebound reload: no supervisor answers at " + admin + " (" + e + ")");
            return ExitCodes.UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.UNAVAILABLE;
        }
        String body = response.body().strip();
        switch (response.statusCode()) {
            case 200 -> {
                out.println("rebound reload: " + body);
                return ExitCodes.OK;
            }
            case 422 -> {
                err.println("rebound reload: " + body);
                return ExitCodes.CONFIG;
            }
            default -> {
                err.println("rebound reload: " + body);
                return ExitCodes.FAILURE;
            }
        }
    }
}

package io.rebound.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.rebound.config.ConfigException;
import io.rebound.config.ExitCodes;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

/**
 * {@code rebound status [--config FILE]}: asks the supervisor at {@code rebound.supervisor.admin.bind} for its
 * {@code /status} and prints a summary like {@code systemctl status}. Exit 0 when the proxy is running, 3 when it is
 * not (as systemctl), 69 when no supervisor answers.
 */
final class StatusCommand {
    /** systemctl's exit code for "unit not running" (LSB "program is not running"). */
    static final int NOT_RUNNING = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private StatusCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Optional<Path> file;
        try {
            file = ConfigOption.parse(args);
        } catch (IllegalArgumentException e) {
            return Main.usage(err, "status: " + e.getMessage());
        }
        AdminAddress admin;
        try {
            admin = AdminAddress.supervisor(file);
        } catch (ConfigException e) {
            err.println("rebound status: invalid configuration: " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        String json;
        try {
            json = fetchStatus(admin);
        } catch (IOException e) {
            err.println("rebound status: no supervisor answers at " + admin + " (" + e + ")");
            return ExitCodes.UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.UNAVAILABLE;
        }
        Config status;
        try {
            status = ConfigFactory.parseString(json, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
        } catch (com.typesafe.config.ConfigException e) {
            err.println("rebound status: " + admin + " answered something other than a supervisor's status: "
                    + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
        out.print(StatusSummary.render(status, admin.address(), System.currentTimeMillis(), ZoneId.systemDefault()));
        String state = status.getString("state");
        return state.equals("RUNNING") || state.equals("RELOADING") ? ExitCodes.OK : NOT_RUNNING;
    }

    private static String fetchStatus(AdminAddress admin) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
                .build();
        HttpRequest request = admin.request("/status").timeout(TIMEOUT).GET().build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("/status answered " + response.statusCode() + ": " + response.body().strip());
        }
        return response.body();
    }
}

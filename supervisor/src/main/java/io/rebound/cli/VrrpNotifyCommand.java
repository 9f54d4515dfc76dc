package io.rebound.cli;

import io.rebound.config.ConfigException;
import io.rebound.config.ExitCodes;
import io.rebound.supervisor.VrrpRole;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@code rebound vrrp-notify MASTER|BACKUP|FAULT|STOP [--config FILE]}: what keepalived's {@code notify_master},
 * {@code notify_backup}, {@code notify_fault} and {@code notify_stop} run, to tell the supervisor at
 * {@code rebound.supervisor.admin.bind} the state this machine entered ({@code POST /vrrp}, with the supervisor's
 * admin token). Exit 0 told, 64 no such state, 78 invalid configuration, 69 no supervisor answers, 1 refused.
 */
final class VrrpNotifyCommand {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private VrrpNotifyCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            return Main.usage(err, "vrrp-notify: expected: MASTER|BACKUP|FAULT|STOP [--config FILE]");
        }
        VrrpRole.State state;
        Optional<Path> file;
        try {
            state = VrrpRole.State.parse(args[0]);
            file = ConfigOption.parse(Arrays.copyOfRange(args, 1, args.length));
        } catch (IllegalArgumentException e) {
            return Main.usage(err, "vrrp-notify: " + e.getMessage());
        }
        AdminAddress admin;
        try {
            admin = AdminAddress.supervisor(file);
        } catch (ConfigException e) {
            err.println("rebound vrrp-notify: invalid configuration: " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        HttpResponse<String> response;
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
                    .build();
            HttpRequest request = admin.request("/vrrp").timeout(TIMEOUT)
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(state.name())).build();
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("rebound vrrp-notify: no supervisor answers at " + admin + " (" + e + ")");
            return ExitCodes.UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.UNAVAILABLE;
        }
        String body = response.body().strip();
        if (response.statusCode() == 200) {
            out.println("rebound vrrp-notify: " + body);
            return ExitCodes.OK;
        }
        err.println("rebound vrrp-notify: " + admin + " answered " + response.statusCode() + ": " + body);
        return ExitCodes.FAILURE;
    }
}

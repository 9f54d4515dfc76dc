package io.rebound.cli;

import io.rebound.config.ConfigException;
import io.rebound.config.ExitCodes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code rebound check-ready [--config FILE]}: whether the proxy is ready to serve, as its admin listener's
 * {@code /health/ready} says (address and token from {@code rebound.admin}). Made for health checks that run a
 * command, keepalived's {@code vrrp_script} and Docker's {@code HEALTHCHECK}: exit 0 ready, 1 not ready or no answer
 * within a second (one line on standard error says which), 78 invalid configuration.
 */
final class CheckReadyCommand {
    /** A check runs every second or two: an answer slower than that is as good as none. */
    static final Duration TIMEOUT = Duration.ofSeconds(1);

    private CheckReadyCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Optional<Path> file;
        try {
            file = ConfigOption.parse(args);
        } catch (IllegalArgumentException e) {
            return Main.usage(err, "check-ready: " + e.getMessage());
        }
        AdminAddress admin;
        try {
            admin = AdminAddress.proxy(file);
        } catch (ConfigException e) {
            err.println("rebound check-ready: invalid configuration: " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        PlainHttp.Answer response;
        try {
            response = PlainHttp.exchange(admin, "GET", "/health/ready", "", TIMEOUT);
        } catch (IOException e) {
            err.println("rebound check-ready: not ready: no proxy answers at " + admin + " within "
                    + TIMEOUT.toMillis() + "ms (" + e + ")");
            return ExitCodes.FAILURE;
        }
        String body = response.body().strip().lines().findFirst().orElse("");
        if (response.status() == 200) {
            out.println("rebound check-ready: " + body);
            return ExitCodes.OK;
        }
        err.println("rebound check-ready: not ready: " + admin + "/health/ready answered " + response.status()
                + (body.isEmpty() ? "" : ": " + body));
        return ExitCodes.FAILURE;
    }
}

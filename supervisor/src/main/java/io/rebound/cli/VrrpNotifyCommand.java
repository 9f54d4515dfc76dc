package io.rebound.cli;

import io.rebound.config.ConfigException;
import io.rebound.config.ExitCodes;
import io.rebound.supervisor.VrrpRole;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@code rebound vrrp-notify MASTER|BACKUP|FAULT|STOP [--config FILE]}: what keepalived's {@code notify_master},
 * {@code notify_backup}, {@code notify_fault} and {@code notify_stop} run, to tell the supervisor at
 * {@code rebound.supervisor.admin.bind} the state this machine entered ({@code POST /vrrp?at=<when keepalived started
 * this command>}, with the supervisor's admin token). Exit 0 told, 64 no such state, 78 invalid configuration, 69 no supervisor answers, 1 refused.
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
        // keepalived starts one notify per transition without waiting for the last, so two can arrive out of order:
        // each says when keepalived started it (this process' start), and the supervisor keeps the latest.
        long notifiedAt = ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli)
                .orElseGet(System::currentTimeMillis);
        PlainHttp.Answer response;
        try {
            response = PlainHttp.exchange(admin, "POST", "/vrrp?at=" + notifiedAt, state.name(), TIMEOUT);
        } catch (IOException e) {
            err.println("rebound vrrp-notify: no supervisor answers at " + admin + " (" + e + ")");
            return ExitCodes.UNAVAILABLE;
        }
        String body = response.body().strip();
        if (response.status() == 200) {
            out.println("rebound vrrp-notify: " + body);
            return ExitCodes.OK;
        }
        err.println("rebound vrrp-notify: " + admin + " answered " + response.status() + ": " + body);
        return ExitCodes.FAILURE;
    }
}

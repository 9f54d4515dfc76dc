package io.rebound.cli;

import io.rebound.config.ExitCodes;
import io.rebound.proxy.ProxyMain;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The one entry point of {@code bin/rebound}: {@code run}, {@code proxy}, {@code demo}, {@code check-config},
 * {@code status}, {@code reload}, {@code check-ready}, {@code vrrp-notify}, {@code servers}, {@code server}. Exit codes are {@link ExitCodes}' (64 for a wrong command line).
 */
public final class Main {
    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: rebound <command> [arguments]",
            "  run --config FILE                  start the supervisor; it starts the proxy and keeps it running",
            "  proxy --config FILE [--supervised] run the proxy alone in this process",
            "  demo                               three demo backends on 127.0.0.1:8081-8083 and the proxy on :8080,"
                    + " supervised",
            "  check-config FILE                  validate the configuration and print every problem",
            "  reload [--config FILE]             the supervisor reloads its configuration file: a new proxy with it,"
                    + " then the old one drains (exit 0 reloaded, 78 invalid file, 1 refused or failed, 69 no"
                    + " supervisor)",
            "  status [--config FILE]             summary of the running supervisor (exit 0 running, 3 not running,"
                    + " 69 no supervisor answers)",
            "  check-ready [--config FILE]        whether the proxy's /health/ready answers 200 within 1s (exit 0"
                    + " ready, 1 not ready or no answer)",
            "  vrrp-notify STATE [--config FILE]  tell the supervisor the VRRP state keepalived entered: MASTER,"
                    + " BACKUP, FAULT or STOP",
            "  servers [--config FILE]            the servers: runtime state, weight, status, requests in flight",
            "  server drain|maint NAME [--wait [TIMEOUT]] [--config FILE]",
            "                                     no new requests to NAME (maint: and no checks); --wait until its"
                    + " requests in flight reach 0 (default 60s; exit 75 if not)",
            "  server ready NAME [--config FILE]  NAME takes requests again after a passing check",
            "  server weight NAME WEIGHT [--config FILE]",
            "                                     NAME's weight, 1-256 (exit 64 invalid weight, 67 no such server)");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("proxy")) {
            // The proxy owns its lifetime and its exit code; its main may return while its server threads serve.
            runProxy(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs a command other than {@code proxy} and returns its exit code. */
    static int execute(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            return usage(err, "no command given");
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "run" -> RunCommand.run(rest, err);
            case "demo" -> DemoCommand.run(rest, err);
            case "check-config" -> CheckConfigCommand.run(rest, out, err);
            case "status" -> StatusCommand.run(rest, out, err);
            case "reload" -> ReloadCommand.run(rest, out, err);
            case "check-ready" -> CheckReadyCommand.run(rest, out, err);
            case "vrrp-notify" -> VrrpNotifyCommand.run(rest, out, err);
            case "servers" -> ServersCommand.run(rest, out, err);
            case "server" -> ServerCommand.run(rest, out, err);
            case "help", "--help", "-h" -> {
                out.println(USAGE);
                yield ExitCodes.OK;
            }
            default -> usage(err, "unknown command '" + args[0] + "'");
        };
    }

    static int usage(PrintStream err, String problem) {
        err.println("rebound: " + problem);
        err.println(USAGE);
        return ExitCodes.USAGE;
    }

    private static void runProxy(String[] args) {
        ProxyMain.main(args);
    }
}

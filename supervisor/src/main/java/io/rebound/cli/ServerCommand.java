package io.rebound.cli;

import com.typesafe.config.Config;
import io.rebound.balance.ServerSettings;
import io.rebound.config.ConfigException;
import io.rebound.config.ExitCodes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code rebound server ready|drain|maint NAME [--wait [TIMEOUT]] [--config FILE]} and {@code rebound server weight
 * NAME WEIGHT [--config FILE]}: changes a server's runtime state or weight at the supervisor, which keeps it across
 * proxy restarts, reloads and its own restarts. {@code --wait} (drain, maint) then waits until the server's requests
 * in flight, over every proxy, reach 0: the step before deploying to it. Exit 0 done, 64 bad command line (also an
 * invalid weight), 67 no such server, 75 still in flight at TIMEOUT, 69 no supervisor answers, 78 invalid
 * configuration, 1 the supervisor could not write its state file. A refused change changes nothing.
 */
final class ServerCommand {
    static final String USAGE = "expected: ready|drain|maint NAME [--wait [TIMEOUT]] [--config FILE], or weight NAME"
            + " WEIGHT [--config FILE]";
    /** A deploy script's patience by default: long requests (uploads, reports) finish within a minute. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    /** The command line, parsed. */
    record Request(String action, String name, String value, Optional<Duration> waitFor, Optional<Path> config) {
    }

    private ServerCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Request request;
        try {
            request = parse(args);
        } catch (IllegalArgumentException e) {
            return Main.usage(err, "server: " + e.getMessage());
        }
        ServersClient client;
        try {
            client = new ServersClient(AdminAddress.supervisor(request.config()), "server " + request.action());
        } catch (ConfigException e) {
            err.println("rebound server: invalid configuration: " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        ServersClient.Answer answer;
        try {
            answer = request.action().equals("weight") ? client.change(request.name(), "weight", request.value())
                    : client.change(request.name(), "state", request.action());
        } catch (IOException e) {
            err.println("rebound server: no supervisor answers at " + client + " (" + e.getMessage() + ")");
            return ExitCodes.UNAVAILABLE;
        }
        switch (answer.status()) {
            case 200 -> out.println("rebound server: " + request.name() + ": " + answer.json().getString("before")
                    + " -> " + answer.json().getString("after") + " (" + answer.json().getInt("proxiesTold")
                    + " proxies told)");
            case 404 -> {
                err.println("rebound server: " + answer.error() + "; nothing changed");
                return ExitCodes.NO_SUCH_NAME;
            }
            case 400 -> {
                err.println("rebound server: " + answer.error() + "; nothing changed");
                return ExitCodes.USAGE;
            }
            default -> {
                err.println("rebound server: " + client + " answered " + answer.status() + ": " + answer.error());
                return ExitCodes.FAILURE;
            }
        }
        return request.waitFor().isEmpty() ? ExitCodes.OK
                : awaitNoneInFlight(client, request.name(), request.waitFor().get(), out, err);
    }

    static Request parse(String[] args) {
        if (args.length < 2) {
            throw new IllegalArgumentException(USAGE);
        }
        String action = args[0];
        String name = args[1];
        int next = 2;
        String value = "";
        switch (action) {
            case "ready", "drain", "maint" -> { }
            case "weight" -> {
                if (args.length < 3) {
                    throw new IllegalArgumentException("weight needs NAME and WEIGHT (1-" + ServerSettings.MAX_WEIGHT
                            + ")");
                }
                value = args[2];
                if (!value.matches("[0-9]{1,4}") || Integer.parseInt(value) < 1
                        || Integer.parseInt(value) > ServerSettings.MAX_WEIGHT) {
                    throw new IllegalArgumentException("weight: '" + value + "' (expected: 1-"
                            + ServerSettings.MAX_WEIGHT + ")");
                }
                next = 3;
            }
            default -> throw new IllegalArgumentException("unknown action '" + action + "'; " + USAGE);
        }
        Optional<Duration> waitFor = Optional.empty();
        List<String> rest = new ArrayList<>();
        for (int i = next; i < args.length; i++) {
            if (args[i].equals("--wait")) {
                if (!action.equals("drain") && !action.equals("maint")) {
                    throw new IllegalArgumentException("--wait goes with drain or maint");
                }
                boolean timeoutGiven = i + 1 < args.length && !args[i + 1].startsWith("--");
                waitFor = Optional.of(timeoutGiven ? duration(args[++i]) : DEFAULT_WAIT);
            } else {
                rest.add(args[i]);
            }
        }
        return new Request(action, name, value, waitFor, ConfigOption.parse(rest.toArray(String[]::new)));
    }

    /** "90" (seconds), "90s", "500ms", "2m". */
    static Duration duration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,6})(ms|s|m)?").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("--wait '" + text + "' (expected: a timeout such as 90s, 500ms or 2m)");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    private static int awaitNoneInFlight(ServersClient client, String name, Duration timeout, PrintStream out,
            PrintStream err) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        int last = -1;
        while (true) {
            Config servers;
            try {
                servers = client.servers();
            } catch (IOException e) {
                err.println("rebound server: no supervisor answers at " + client + " (" + e.getMessage() + ")");
                return ExitCodes.UNAVAILABLE;
            }
            int inFlight = inFlight(servers, name);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            if (inFlight == 0) {
                out.println("rebound server: " + name + ": no request in flight"
                        + (servers.getInt("proxies") == 0 ? " (no proxy runs)" : "") + " after " + elapsedMillis
                        + " ms");
                return ExitCodes.OK;
            }
            if (System.nanoTime() - deadline >= 0) {
                err.println("rebound server: " + name + ": still " + inFlight + " requests in flight after "
                        + timeout.toMillis() + " ms");
                return ExitCodes.TIMED_OUT;
            }
            if (inFlight != last) {
                out.println("rebound server: " + name + ": " + inFlight + " requests in flight, waiting");
                last = inFlight;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCodes.TIMED_OUT;
            }
        }
    }

    /** The server's requests in flight over every proxy; 0 when no proxy answers (then none is in flight). */
    private static int inFlight(Config servers, String name) {
        for (Config server : servers.getConfigList("servers")) {
            if (server.getString("name").equals(name)) {
                return server.getIsNull("inFlight") ? 0 : server.getInt("inFlight");
            }
        }
        return 0;
    }
}

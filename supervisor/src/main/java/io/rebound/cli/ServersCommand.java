package io.rebound.cli;

import com.typesafe.config.Config;
import io.rebound.config.ConfigException;
import io.rebound.config.ExitCodes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code rebound servers [--config FILE]}: the servers as the supervisor holds them (runtime state and weight) and as
 * its proxies see them (status, requests in flight), one line each:
 * <pre>
 * NAME     ADDRESS         STATE  WEIGHT  STATUS  IN-FLIGHT
 * apache1  10.0.0.11:80    ready  1       UP      0
 * apache2  10.0.0.12:80    drain  1       DRAIN   2
 * apache3  10.0.0.13:80    maint  1       MAINT   0
 * </pre>
 * Exit 0, 69 when no supervisor answers, 78 invalid configuration.
 */
final class ServersCommand {

    private ServersCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Optional<Path> file;
        try {
            file = ConfigOption.parse(args);
        } catch (IllegalArgumentException e) {
            return Main.usage(err, "servers: " + e.getMessage());
        }
        ServersClient client;
        try {
            client = new ServersClient(AdminAddress.supervisor(file), "servers");
        } catch (ConfigException e) {
            err.println("rebound servers: invalid configuration: " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        try {
            out.print(table(client.servers()));
            return ExitCodes.OK;
        } catch (IOException e) {
            err.println("rebound servers: no supervisor answers at " + client + " (" + e.getMessage() + ")");
            return ExitCodes.UNAVAILABLE;
        }
    }

    /** The table, its columns as wide as their widest cell, and a line on the state file and the proxies. */
    static String table(Config servers) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "ADDRESS", "STATE", "WEIGHT", "STATUS", "IN-FLIGHT"});
        for (Config server : servers.getConfigList("servers")) {
            int weight = server.getInt("weight");
            int configured = server.getInt("configuredWeight");
            rows.add(new String[] {server.getString("name"), server.getString("address"), server.getString("state"),
                    weight == configured ? Integer.toString(weight) : weight + " (configured " + configured + ")",
                    server.getIsNull("status") ? "-" : server.getString("status"),
                    server.getIsNull("inFlight") ? "-" : Integer.toString(server.getInt("inFlight"))});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", row[i]));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        int proxies = servers.getInt("proxies");
        if (servers.hasPath("stateFileProblem")) {
            text.append("Changes refused: ").append(servers.getString("stateFileProblem")).append('\n');
        }
        return text.append("Runtime state: ").append(servers.getString("stateFile")).append(" (generation ")
                .append(servers.getLong("generation")).append("); ").append(proxies)
                .append(proxies == 1 ? " proxy" : " proxies").append(" answered\n").toString();
    }
}

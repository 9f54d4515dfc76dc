package io.rebound.supervisor.runtime;

import static io.rebound.admin.JsonText.quote;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.rebound.admin.JsonText;
import io.rebound.balance.ServerSettings;
import io.rebound.runtime.RuntimeState;
import io.rebound.runtime.ServerRuntime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The supervisor's {@code GET /servers}: each configured server with what the operator set (state, weight) and what
 * the proxies see (status, requests in flight), for {@code rebound servers}, {@code --wait} and a status page:
 * <pre>
 * {"generation": 3, "stateFile": "/var/lib/rebound/servers.json", "stateFileProblem": null, "proxies": 1, "servers": [
 *   {"name": "apache2", "address": "10.0.0.12:80", "state": "drain", "weight": 1, "configuredWeight": 1,
 *    "status": "DRAIN", "inFlight": 2, "lastCheck": {"passed": true, "reason": "status 200",
 *    "time": "2026-12-03T09:26:40.123Z", "durationMillis": 3}}]}
 * </pre>
 * {@code stateFileProblem} says why changes are refused (the file's directory is not safe to use), null normally;
 * {@code proxies} is how many proxy children answered; {@code status} is the main proxy's view (UP, DOWN, DRAIN,
 * MAINT), null when no proxy answered or none has the server yet; {@code inFlight} the sum over every proxy that
 * answered, draining ones included, null when none did; {@code lastCheck} the main proxy's last check of the server,
 * null before its first or when no proxy answered.
 */
public final class ServersView {

    private ServersView() {
    }

    public static String render(ServerControl control) {
        RuntimeState state = control.state();
        List<ServerSettings> servers = control.servers();
        List<String> answers = control.proxyServers();
        Map<String, String> status = new HashMap<>();
        Map<String, Integer> inFlight = new HashMap<>();
        Map<String, String> lastCheck = new HashMap<>();
        for (String answer : answers) {
            for (Config server : parse(answer)) {
                try {
                    String name = server.getString("name");
                    int requests = server.getInt("inFlight");
                    status.putIfAbsent(name, server.getString("status"));
                    if (server.hasPath("lastCheck")) {
                        lastCheck.putIfAbsent(name, lastCheck(server.getConfig("lastCheck")));
                    }
                    inFlight.merge(name, requests, Integer::sum);
                } catch (ConfigException e) {
                    // not a server as this version writes it
                }
            }
        }
        StringBuilder json = new StringBuilder("{\"generation\": ").append(state.generation())
                .append(", \"stateFile\": ").append(quote(control.file().toString()))
                .append(", \"stateFileProblem\": ").append(control.fileProblem().map(JsonText::quote).orElse("null"))
                .append(", \"proxies\": ").append(answers.size())
                .append(", \"servers\": [");
        for (int i = 0; i < servers.size(); i++) {
            ServerSettings server = servers.get(i);
            ServerRuntime runtime = state.of(server.name());
            json.append(i == 0 ? "\n  " : ",\n  ")
                    .append("{\"name\": ").append(quote(server.name()))
                    .append(", \"address\": ").append(quote(server.address().toString()))
                    .append(", \"state\": ").append(quote(runtime.state().word()))
                    .append(", \"weight\": ").append(runtime.weight().orElse(server.weight()))
                    .append(", \"configuredWeight\": ").append(server.weight())
                    .append(", \"status\": ").append(status.containsKey(server.name())
                            ? quote(status.get(server.name())) : "null")
                    .append(", \"inFlight\": ").append(answers.isEmpty() ? "null"
                            : Integer.toString(inFlight.getOrDefault(server.name(), 0)))
                    .append(", \"lastCheck\": ").append(lastCheck.getOrDefault(server.name(), "null"))
                    .append('}');
        }
        return json.append(servers.isEmpty() ? "]}\n" : "\n]}\n").toString();
    }

    /** The main proxy's last check of a server, as it gave it. */
    private static String lastCheck(Config check) {
        return "{\"passed\": " + check.getBoolean("passed") + ", \"reason\": " + quote(check.getString("reason"))
                + ", \"time\": " + quote(check.getString("time")) + ", \"durationMillis\": "
                + check.getLong("durationMillis") + "}";
    }

    /** A proxy's {@code /servers} array; one that is not (an older proxy, a broken answer) counts as no servers. */
    private static List<? extends Config> parse(String array) {
        try {
            return ConfigFactory.parseString("{\"servers\": " + array + "}",
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON)).getConfigList("servers");
        } catch (ConfigException e) {
            return List.of();
        }
    }
}

package io.rebound.admin;

import static io.rebound.admin.JsonText.quote;

import io.rebound.balance.Server;
import io.rebound.balance.ServerAddress;
import io.rebound.balance.ServerPool;
import io.rebound.check.CheckResult;
import io.rebound.check.ServerHealth;
import java.util.List;

/**
 * {@code /servers}: each server's state as a JSON array, written by hand (a dozen fields need no JSON library).
 * {@code state} is what its checks say (up, down, no address); {@code runtimeState} what the operator set (ready,
 * drain, maint); {@code status} both together (UP, DOWN, DRAIN, MAINT); {@code weight} the one in use.
 */
final class ServersJson {

    private ServersJson() {
    }

    static String render(List<ServerHealth> servers, ServerPool pool) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < servers.size(); i++) {
            ServerHealth health = servers.get(i);
            if (i > 0) {
                json.append(',');
            }
            Server server = health.server();
            ServerAddress address = server.address();
            json.append("\n  {\"name\": ").append(quote(server.name()))
                    .append(", \"address\": ").append(quote(server.settings().address().toString()))
                    .append(", \"state\": ").append(quote(state(health, address)))
                    .append(", \"weight\": ").append(server.weight())
                    .append(", \"check\": ").append(health.checked())
                    .append(", \"lastCheck\": ");
            if (health.lastCheck().isPresent()) {
                CheckResult last = health.lastCheck().get();
                json.append("{\"passed\": ").append(last.passed())
                        .append(", \"reason\": ").append(quote(last.reason()))
                        .append(", \"time\": ").append(quote(last.at().toString()))
                        .append(", \"durationMillis\": ").append(last.duration().toMillis()).append('}');
            } else {
                json.append("null");
            }
            json.append(", \"consecutiveSuccesses\": ").append(health.consecutiveSuccesses())
                    .append(", \"consecutiveFailures\": ").append(health.consecutiveFailures())
                    .append(", \"inFlight\": ").append(health.server().inFlight())
                    .append(", \"resolved\": ").append(address.socket().isPresent()
                            ? quote(ServerAddress.text(address.socket())) : "null")
                    .append(", \"resolvedAt\": ").append(address.resolvedAt().map(t -> quote(t.toString()))
                            .orElse("null"))
                    .append(", \"dnsError\": ").append(address.dnsError().map(JsonText::quote).orElse("null"))
                    .append(", \"runtimeState\": ").append(quote(pool.state(server).word()))
                    .append(", \"status\": ").append(quote(pool.status(server).name()))
                    .append(", \"configuredWeight\": ").append(server.settings().weight())
                    .append('}');
        }
        return json.append(servers.isEmpty() ? "]\n" : "\n]\n").toString();
    }

    /** "up", "down", or "no address" for a group's slot that holds no address now. */
    private static String state(ServerHealth health, ServerAddress address) {
        if (health.up()) {
            return "up";
        }
        return address.socket().isEmpty() && health.server().settings().inGroup() ? "no address" : "down";
    }
}

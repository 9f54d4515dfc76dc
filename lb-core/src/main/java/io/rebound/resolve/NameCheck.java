package io.rebound.resolve;

import io.rebound.balance.ServerSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For {@code rebound check-config}: looks up every server name once with the configured name servers and says which
 * do not resolve now. Not an error: such a server starts DOWN and comes up once its name resolves (HAProxy:
 * {@code init-addr last,libc,none}).
 */
public final class NameCheck {

    private NameCheck() {
    }

    /** One warning per name (a group's once) that does not resolve now; empty when every name does. */
    public static List<String> unresolved(List<ServerSettings> servers, ResolverSettings resolvers) {
        Map<String, ServerSettings> entries = new LinkedHashMap<>();
        for (ServerSettings server : servers) {
            if (!server.address().isLiteral()) {
                entries.putIfAbsent(server.inGroup() ? server.group() : server.name(), server);
            }
        }
        List<String> warnings = new ArrayList<>();
        if (entries.isEmpty()) {
            return warnings;
        }
        NameLookup lookup = new NameLookup(resolvers);
        entries.forEach((entry, server) -> {
            DnsAnswer answer = lookup.resolve(server.address().host());
            if (!answer.found()) {
                warnings.add("server " + entry + ": " + server.address().host() + " does not resolve now ("
                        + answer.error() + "); it starts DOWN and comes up once the name resolves");
            }
        });
        return warnings;
    }
}

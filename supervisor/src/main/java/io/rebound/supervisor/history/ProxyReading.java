package io.rebound.supervisor.history;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One proxy process's cumulative counters, as its admin's {@code /traffic} gave them. */
record ProxyReading(long pid, TrafficCounts counts) {

    /** The reading in {@code json}; empty when it is none (an older proxy, a broken answer). */
    static Optional<ProxyReading> parse(String json) {
        try {
            Config traffic = ConfigFactory.parseString(json,
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
            List<Long> responses = new ArrayList<>();
            for (String codeClass : TrafficCounts.CLASSES) {
                responses.add(traffic.getLong("responses.\"" + codeClass + "\""));
            }
            return Optional.of(new ProxyReading(traffic.getLong("pid"), new TrafficCounts(traffic.getLong("requests"),
                    responses, traffic.getLong("proxyErrors"))));
        } catch (ConfigException e) {
            return Optional.empty();
        }
    }
}

package io.rebound.resolve;

import io.rebound.config.ConfigReader;
import io.rebound.config.ConfigText;
import io.rebound.config.HostPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code rebound.resolvers}, checking every value with its full key path. */
public final class ResolverSettingsReader {
    private static final String ROOT = "rebound.resolvers";
    /** Below this, lookups would load the name servers for nothing: addresses do not change that often. */
    private static final Duration MIN_INTERVAL = Duration.ofMillis(100);

    private ResolverSettingsReader() {
    }

    public static ResolverSettings read(ConfigReader reader) {
        List<HostPort> nameservers = new ArrayList<>();
        List<String> texts = reader.stringList(ROOT + ".nameservers");
        for (int i = 0; i < texts.size(); i++) {
            try {
                HostPort nameserver = HostPort.parse(texts.get(i));
                if (nameserver.port() < 1) {
                    throw new IllegalArgumentException("port 0");
                }
                nameservers.add(nameserver);
            } catch (IllegalArgumentException e) {
                reader.problem(ROOT + ".nameservers", i, texts.get(i),
                        "host:port of a name server with a port from 1 to 65535, such as 10.0.0.2:53");
            }
        }
        int problemsBefore = reader.problems().size();
        Duration interval = reader.duration(ROOT + ".interval", MIN_INTERVAL);
        Duration timeout = reader.duration(ROOT + ".timeout", Duration.ofMillis(1));
        if (reader.problems().size() == problemsBefore && timeout.compareTo(interval) >= 0) {
            reader.problem(ROOT + ".timeout", ConfigText.duration(timeout),
                    "less than interval " + ConfigText.duration(interval));
        }
        return new ResolverSettings(nameservers, interval, timeout,
                reader.duration(ROOT + ".hold-nx", Duration.ZERO),
                reader.duration(ROOT + ".hold-timeout", Duration.ZERO));
    }
}

package io.rebound.resolve;

import io.rebound.config.HostPort;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code rebound.resolvers}: how server names are resolved again and again (HAProxy: a {@code resolvers} section).
 *
 * @param nameservers where to ask; empty for the machine's own ({@code /etc/resolv.conf}, and {@code /etc/hosts} first)
 * @param interval time between two lookups of one name (HAProxy: hold valid)
 * @param timeout longest wait for an answer
 * @param holdNx how long the last addresses stay after the name servers answer that the name does not exist
 * @param holdTimeout how long the last addresses stay while the name servers do not answer
 */
public record ResolverSettings(List<HostPort> nameservers, Duration interval, Duration timeout, Duration holdNx,
                               Duration holdTimeout) {

    public ResolverSettings {
        nameservers = List.copyOf(nameservers);
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(holdNx, "holdNx");
        Objects.requireNonNull(holdTimeout, "holdTimeout");
    }
}

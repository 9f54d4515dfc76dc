package io.rebound.balance;

import io.rebound.config.HostPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a server is right now, as the last resolution of its name said: the one address both its health checks and its
 * connections use. Immutable; a {@link Server} swaps in a new one whole.
 *
 * @param socket the address, or empty when the server has none (its name does not resolve, or a group slot is free)
 * @param resolvedAt when a name server last answered with addresses for the name; empty for IP literals and names
 *                   never resolved
 * @param dnsError the last lookup's failure ("DNS: no such name", "DNS: timeout"), or empty when it answered
 */
public record ServerAddress(Optional<InetSocketAddress> socket, Optional<Instant> resolvedAt,
                            Optional<String> dnsError) {

    public ServerAddress {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(resolvedAt, "resolvedAt");
        Objects.requireNonNull(dnsError, "dnsError");
    }

    /** The first address of a server: an IP literal as it is (no lookup), a name as not resolved yet. */
    static ServerAddress initial(HostPort configured) {
        if (!configured.isLiteral()) {
            return new ServerAddress(Optional.empty(), Optional.empty(), Optional.of("DNS: not resolved yet"));
        }
        try {
            // getByName does no lookup for a literal: it only parses it.
            InetAddress literal = InetAddress.getByName(configured.host());
            return new ServerAddress(Optional.of(new InetSocketAddress(literal, configured.port())), Optional.empty(),
                    Optional.empty());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address: " + configured + " (expected: a valid IP address)", e);
        }
    }

    /** host:port of the address without a name part ({@code 10.0.0.5:80}, {@code [::1]:80}), or "none". */
    public static String text(Optional<InetSocketAddress> socket) {
        return socket.map(s -> new HostPort(s.getAddress().getHostAddress(), s.getPort()).toString()).orElse("none");
    }

    @Override
    public String toString() {
        return text(socket) + dnsError.map(e -> " (" + e + ")").orElse("");
    }
}

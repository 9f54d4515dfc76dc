package io.rebound.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host and port a request names as its target, from a Host header or an Origin. Parsed strictly and without any
 * DNS lookup: a name in lower case, or an IP literal (IPv6 in brackets) kept as its address; anything unusual is no
 * authority at all, and so names no admin listener.
 *
 * @param host the lower-case name, or the address of an IP literal in Java's canonical text
 * @param address the address when {@code host} is an IP literal
 * @param port the port, or {@link #NO_PORT} when none is given
 */
record Authority(String host, Optional<InetAddress> address, int port) {
    static final int NO_PORT = -1;
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9._-]+)(?::([0-9]{1,5}))?");
    private static final Pattern IPV4 = Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");
    private static final Pattern ORIGIN = Pattern.compile("(?i)(https?)://(.+)");

    /** A Host header's value: {@code host[:port]}. */
    static Optional<Authority> ofHost(String text) {
        Matcher matcher = HOST_PORT.matcher(text.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int port = matcher.group(2) == null ? NO_PORT : Integer.parseInt(matcher.group(2));
        if (port > 65535) {
            return Optional.empty();
        }
        String host = matcher.group(1);
        Optional<InetAddress> address = host.startsWith("[") ? ipv6(host) : ipv4(host);
        if (host.startsWith("[") && address.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Authority(address.map(InetAddress::getHostAddress)
                .orElse(host.toLowerCase(Locale.ROOT)), address, port));
    }

    /**
     * An Origin header's value: {@code http://host[:port]} or {@code https://...}, the port defaulting to the scheme's.
     * {@code null} (a sandboxed page, a file) and every other scheme name no authority.
     */
    static Optional<Authority> ofOrigin(String text) {
        Matcher matcher = ORIGIN.matcher(text.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int defaultPort = matcher.group(1).equalsIgnoreCase("https") ? 443 : 80;
        return ofHost(matcher.group(2)).map(authority -> authority.hasPort() ? authority
                : new Authority(authority.host(), authority.address(), defaultPort));
    }

    boolean hasPort() {
        return port != NO_PORT;
    }

    /** {@code localhost}, any 127.x.x.x or ::1: names that reach this machine whatever DNS says. */
    boolean isLoopback() {
        return host.equals("localhost") || address.map(InetAddress::isLoopbackAddress).orElse(false);
    }

    /** Whether both name the same host (ports aside). */
    boolean sameHost(Authority other) {
        return host.equals(other.host);
    }

    private static Optional<InetAddress> ipv4(String text) {
        Matcher matcher = IPV4.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(matcher.group(i + 1));
            if (octet > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) octet;
        }
        return literal(bytes);
    }

    /** Brackets make InetAddress parse a literal or fail: never a DNS lookup. */
    private static Optional<InetAddress> ipv6(String bracketed) {
        try {
            return Optional.of(InetAddress.getByName(bracketed));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Optional<InetAddress> literal(byte[] bytes) {
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty(); // only for a wrong length
        }
    }
}

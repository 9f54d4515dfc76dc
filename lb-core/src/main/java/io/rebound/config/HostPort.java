package io.rebound.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A host and port as written in the configuration ({@code "127.0.0.1:8080"}, {@code "[::1]:80"}, {@code "*:80"}).
 * Port 0 means "any free port" and is accepted only where something listens ({@link ConfigReader#listenAddress}).
 */
public record HostPort(String host, int port) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host: \"\" (expected: a host name or address)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
    }

    /**
     * Parses {@code host:port}; {@code *} or an empty host stands for every address (0.0.0.0), as in HAProxy's
     * {@code bind *:80}.
     *
     * @throws IllegalArgumentException with a message saying what was expected
     */
    public static HostPort parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("missing port");
        }
        String host = trimmed.substring(0, colon);
        String portText = trimmed.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("IPv6 address without brackets");
        }
        if (host.isEmpty() || host.equals("*")) {
            host = "0.0.0.0";
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number");
        }
        return new HostPort(host, port);
    }

    /** Whether the host is an IP address written out (never resolved), not a name. */
    public boolean isLiteral() {
        return host.contains(":") || IPV4.matcher(host).matches();
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}

package io.rebound.admin;

import io.rebound.config.HostPort;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may use an admin listener: the rules that keep a web page in a local browser from using it (a cross-site POST,
 * a DNS-rebinding page reading it), and its token. {@link AdminAccessHandler} applies them to each request.
 *
 * <ul>
 *   <li>Host: the listener's own address, or a loopback name ({@code localhost}, 127.x.x.x, {@code [::1]}), each
 *       with the listener's port, or without a port (a loopback name always, the own address when the port is 80). A
 *       wildcard listener ({@code *}, {@code ::}) takes any IP literal and the machine's own host name as its own
 *       address, never another DNS name: a DNS-rebinding page sends its own name. No Host at all is accepted on a
 *       loopback listener only.</li>
 *   <li>Origin: a request other than GET or HEAD that carries an Origin must come from a page at a Host the first
 *       rule accepts, on the listener's port; one marked {@code Sec-Fetch-Site: cross-site} is refused.</li>
 *   <li>Token: when there is one, every request carries it as {@code Authorization: Bearer <token>}.</li>
 * </ul>
 *
 * @param bind the listener's address as configured
 * @param token the listener's token, if it has one
 * @param machineName the machine's own host name, which a wildcard listener accepts as its own
 */
public record AdminAccess(HostPort bind, Optional<AdminToken> token, Optional<String> machineName) {
    private static final int DEFAULT_HTTP_PORT = 80;

    public AdminAccess {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(machineName, "machineName");
    }

    /** The access rules of a listener on {@code bind}; for a wildcard listener, looks up the machine's host name. */
    public static AdminAccess of(HostPort bind, Optional<AdminToken> token) {
        Optional<String> machineName = Optional.empty();
        if (isWildcard(bind)) {
            try {
                machineName = Optional.of(InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT));
            } catch (UnknownHostException e) {
                // The host name does not resolve: nobody reaches this machine by it either.
            }
        }
        return new AdminAccess(bind, token, machineName);
    }

    /** Whether {@code bind} is a loopback address, which only this machine reaches. */
    public static boolean isLoopback(HostPort bind) {
        return Authority.ofHost(bind.toString()).map(Authority::isLoopback).orElse(false);
    }

    /** Whether {@code bind} is every address of the machine ({@code *}, {@code 0.0.0.0}, {@code ::}). */
    public static boolean isWildcard(HostPort bind) {
        return Authority.ofHost(bind.toString()).flatMap(Authority::address).map(InetAddress::isAnyLocalAddress)
                .orElse(false);
    }

    /**
     * Whether a request with the Host header {@code host} (null: none) may use the listener on {@code port} (the real
     * port of the connection: the configured one may be 0).
     */
    public boolean allowsHost(String host, int port) {
        if (host == null) {
            return isLoopback(bind);
        }
        return Authority.ofHost(host).filter(target -> names(target, port)).isPresent();
    }

    /** Whether a request with {@code Origin: origin} may change something on the listener on {@code port}. */
    public boolean allowsOrigin(String origin, int port) {
        return Authority.ofOrigin(origin).filter(page -> page.port() == port && names(page, port)).isPresent();
    }

    private boolean names(Authority target, int port) {
        if (target.hasPort() && target.port() != port) {
            return false;
        }
        if (target.isLoopback()) {
            return true;
        }
        if (!target.hasPort() && port != DEFAULT_HTTP_PORT) {
            return false;
        }
        if (isWildcard(bind)) {
            return target.address().isPresent() || machineName.filter(target.host()::equals).isPresent();
        }
        return Authority.ofHost(bind.toString()).filter(target::sameHost).isPresent();
    }
}

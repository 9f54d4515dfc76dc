package io.rebound.admin;

import io.rebound.config.HostPort;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code admin} subtree: where the admin listener answers ({@code bind}) and the token it asks for
 * ({@code token-file}, read by {@link AdminToken#read}). The proxy's is {@code rebound.admin}, the supervisor's
 * {@code rebound.supervisor.admin}.
 */
public record AdminSettings(HostPort bind, Optional<AdminToken> token) {

    public AdminSettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(token, "token");
    }
}

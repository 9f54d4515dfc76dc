package io.rebound.supervisor;

import io.rebound.config.HostPort;
import java.util.Objects;

/**
 * The traffic socket and who serves it.
 *
 * @param share whether the supervisor binds {@code bind} and its children serve that socket
 *     ({@code rebound.supervisor.share-listener})
 * @param bind the proxy's traffic address ({@code rebound.bind})
 * @param standby warm standby children beside the main one, 0 or 1 ({@code rebound.supervisor.standby})
 */
public record ListenerSettings(boolean share, HostPort bind, int standby) {

    public ListenerSettings {
        Objects.requireNonNull(bind, "bind");
    }
}

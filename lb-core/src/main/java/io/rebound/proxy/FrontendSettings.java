package io.rebound.proxy;

import io.rebound.config.HostPort;
import java.util.Objects;

/**
 * The client side (HAProxy's frontend): where clients connect and what their requests may make the proxy hold.
 *
 * @param bind where clients connect ({@code rebound.bind})
 * @param limits request heads and client connections ({@code rebound.limits})
 * @param requestBuffer request bodies read before a server is chosen ({@code rebound.request-buffer})
 * @param maxRequestBody largest request body accepted, in bytes ({@code rebound.max-request-body})
 */
public record FrontendSettings(HostPort bind, ClientLimits limits, RequestBuffer requestBuffer, long maxRequestBody) {

    public FrontendSettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(requestBuffer, "requestBuffer");
    }
}

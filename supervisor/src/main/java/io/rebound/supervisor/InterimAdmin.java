package io.rebound.supervisor;

import io.rebound.config.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Picks the interim admin address of a proxy started while another one of ours still holds {@code rebound.admin.bind}
 * (the new proxy of a reload, or a restart while a retired one drains): a loopback port that is free now, which the
 * child binds moments later ({@code --successor-admin}). Should another process take it meanwhile, the child fails
 * to start and the reload or restart fails like any other failed start.
 */
final class InterimAdmin {

    private InterimAdmin() {
    }

    static HostPort pick() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(loopback, 0));
            return new HostPort(loopback.getHostAddress(), socket.getLocalPort());
        }
    }
}

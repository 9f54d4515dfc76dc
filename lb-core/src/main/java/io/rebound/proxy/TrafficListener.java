package io.rebound.proxy;

import io.rebound.config.HostPort;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * The HTTP listener for client traffic, built from Undertow's parts rather than the {@code Undertow} class so that the
 * proxy can stop accepting (close the listening socket, freeing the port for a successor) while the connections it
 * already accepted finish their requests: {@code Undertow.ListenerInfo.suspend()} closes those connections too.
 */
final class TrafficListener {
    /** Undertow's own default for machines with more than 128 MB: 16 KB direct buffers, less the SSL header room. */
    private static final int BUFFER_SIZE = 16 * 1024 - 20;
    /** Pending connections the kernel keeps for the listener under bursts. */
    private static final int BACKLOG = 1024;

    private final ByteBufferPool buffers = new DefaultByteBufferPool(true, BUFFER_SIZE, -1, 4);
    private final HttpOpenListener openListener;
    private final AcceptingChannel<StreamConnection> server;

    /** @throws IOException when the address cannot be bound */
    TrafficListener(XnioWorker worker, HostPort address, HttpHandler handler, ProxySettings settings)
            throws IOException {
        openListener = new HttpOpenListener(buffers, OptionMap.builder()
                .set(UndertowOptions.NO_REQUEST_TIMEOUT,
                        (int) Math.min(Integer.MAX_VALUE, settings.timeouts().clientIdle().toMillis()))
                .set(UndertowOptions.ENABLE_STATISTICS, true)
                // Chunked bodies have no length to check up front: the request channel stops them at the limit.
                .set(UndertowOptions.MAX_ENTITY_SIZE, settings.maxRequestBody())
                .getMap());
        openListener.setRootHandler(handler);
        try {
            server = worker.createStreamConnectionServer(new InetSocketAddress(address.host(), address.port()),
                    ChannelListeners.openListenerAdapter(openListener), OptionMap.builder()
                            .set(Options.TCP_NODELAY, true)
                            .set(Options.REUSE_ADDRESSES, true)
                            .set(Options.BACKLOG, BACKLOG)
                            .getMap());
        } catch (IOException e) {
            buffers.close();
            throw e;
        }
        server.resumeAccepts();
    }

    InetSocketAddress address() {
        return server.getLocalAddress(InetSocketAddress.class);
    }

    long activeConnections() {
        return openListener.getConnectorStatistics().getActiveConnections();
    }

    /** Closes the listening socket; accepted connections stay open. */
    void stopAccepting() {
        IoUtils.safeClose(server);
    }

    /** Closes every accepted connection and frees the buffers. */
    void closeConnections() {
        IoUtils.safeClose(server);
        openListener.closeConnections();
        buffers.close();
    }
}

package io.rebound.proxy;

import io.rebound.config.HostPort;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;
import org.xnio.nio.AlreadyBoundTcpServers;

/**
 * The HTTP listener for client traffic, built from Undertow's parts rather than the {@code Undertow} class so that the
 * proxy can stop accepting (close the listening socket, freeing the port for a successor) while the connections it
 * already accepted finish their requests: {@code Undertow.ListenerInfo.suspend()} closes those connections too. The
 * listening socket is either bound here ({@link #bind}) or shared with the supervisor ({@link #inherit}), which keeps
 * it open across restarts of the proxy.
 */
final class TrafficListener {
    /** Undertow's own default for machines with more than 128 MB: 16 KB direct buffers, less the SSL header room. */
    private static final int BUFFER_SIZE = 16 * 1024 - 20;
    /** Pending connections the kernel keeps for the listener under bursts. */
    private static final int BACKLOG = 1024;
    private static final OptionMap CONNECTION_OPTIONS = OptionMap.create(Options.TCP_NODELAY, true);

    private final ByteBufferPool buffers = new DefaultByteBufferPool(true, BUFFER_SIZE, -1, 4);
    private final HttpOpenListener openListener;
    private final AcceptingChannel<StreamConnection> server;

    private TrafficListener(HttpHandler handler, ProxySettings settings, Acceptor acceptor) throws IOException {
        openListener = new HttpOpenListener(buffers, OptionMap.builder()
                .set(UndertowOptions.NO_REQUEST_TIMEOUT,
                        (int) Math.min(Integer.MAX_VALUE, settings.timeouts().clientIdle().toMillis()))
                .set(UndertowOptions.ENABLE_STATISTICS, true)
                // Chunked bodies have no length to check up front: the request channel stops them at the limit.
                .set(UndertowOptions.MAX_ENTITY_SIZE, settings.maxRequestBody())
                .getMap());
        openListener.setRootHandler(handler);
        try {
            server = acceptor.open(CONNECTION_OPTIONS);
        } catch (IOException | RuntimeException e) {
            buffers.close();
            throw e;
        }
        server.getAcceptSetter().set(ChannelListeners.openListenerAdapter(openListener));
        server.resumeAccepts();
    }

    /**
     * A listener on a socket of its own, bound to {@code address}.
     *
     * @throws IOException when the address cannot be bound
     */
    static TrafficListener bind(XnioWorker worker, HostPort address, HttpHandler handler, ProxySettings settings)
            throws IOException {
        return new TrafficListener(handler, settings, options -> worker.createStreamConnectionServer(
                new InetSocketAddress(address.host(), address.port()), null, OptionMap.builder().addAll(options)
                        .set(Options.REUSE_ADDRESSES, true)
                        .set(Options.BACKLOG, BACKLOG)
                        .getMap()));
    }

    /**
     * A listener on a socket another process bound and shares with this one (the supervisor's, inherited on standard
     * input). Connections that arrive while no process accepts wait in that socket's backlog.
     */
    static TrafficListener inherit(XnioWorker worker, ServerSocketChannel socket, HttpHandler handler,
            ProxySettings settings) throws IOException {
        return new TrafficListener(handler, settings,
                options -> AlreadyBoundTcpServers.serve(worker, socket, options));
    }

    InetSocketAddress address() {
        return server.getLocalAddress(InetSocketAddress.class);
    }

    long activeConnections() {
        return openListener.getConnectorStatistics().getActiveConnections();
    }

    /**
     * Closes this process's listening socket; accepted connections stay open. A socket of its own is then gone, freeing
     * the port for a successor; a shared socket stays open in the other processes that hold it (the supervisor), so
     * new connections wait in its backlog for the next proxy.
     */
    void stopAccepting() {
        IoUtils.safeClose(server);
    }

    /** Closes every accepted connection and frees the buffers. */
    void closeConnections() {
        IoUtils.safeClose(server);
        openListener.closeConnections();
        buffers.close();
    }

    /** Opens the accepting channel with the given options for accepted connections. */
    @FunctionalInterface
    private interface Acceptor {
        AcceptingChannel<StreamConnection> open(OptionMap connectionOptions) throws IOException;
    }
}

package io.rebound.proxy;

import io.rebound.config.HostPort;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.atomic.LongAdder;
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
    /** Client connections open now: counted here, not by Undertow's statistics (which cost on every request). */
    private final LongAdder openConnections = new LongAdder();

    private TrafficListener(HttpHandler handler, ProxySettings settings, FrontendErrors errors, Acceptor acceptor)
            throws IOException {
        ClientLimits limits = settings.frontend().limits();
        openListener = new HttpOpenListener(buffers, OptionMap.builder()
                .set(UndertowOptions.NO_REQUEST_TIMEOUT,
                        (int) Math.min(Integer.MAX_VALUE, settings.timeouts().clientIdle().toMillis()))
                // The whole head, request line included: past it Undertow's parser answers 400 and closes.
                .set(UndertowOptions.MAX_HEADER_SIZE, limits.requestHead())
                // Rebound counts fields itself (431); the parser's own limits only back up the head size.
                .set(UndertowOptions.MAX_HEADERS, limits.requestHead() / 4)
                .set(UndertowOptions.MAX_PARAMETERS, limits.requestLine())
                // Rebound enforces max-request-body itself, so that a too large body gets 413 rather than a close.
                .set(UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .getMap());
        openListener.setRootHandler(handler);
        try {
            server = acceptor.open(OptionMap.builder().addAll(CONNECTION_OPTIONS)
                    // Past this many open connections XNIO stops accepting until one closes: the rest wait in the
                    // backlog instead of being taken into memory.
                    .set(Options.CONNECTION_HIGH_WATER, limits.clientConnections())
                    .set(Options.CONNECTION_LOW_WATER, limits.clientConnections())
                    .getMap());
        } catch (IOException | RuntimeException e) {
            buffers.close();
            throw e;
        }
        MemoryBudget unfinishedHeads = new MemoryBudget(limits.unfinishedHeads());
        long headTimeoutMillis = settings.timeouts().requestHead().toMillis();
        server.getAcceptSetter().set(channel -> {
            StreamConnection connection;
            try {
                connection = channel.accept();
            } catch (IOException e) {
                return;
            }
            if (connection != null) {
                openConnections.increment();
                LazyReadSuspension.install(connection);
                ClientConnectionGuard guard = ClientConnectionGuard.install(connection, errors, unfinishedHeads,
                        headTimeoutMillis, limits.requestHead(), openConnections::decrement);
                openListener.handleEvent(connection);
                guard.opened();
            }
        });
        server.resumeAccepts();
    }

    /**
     * A listener on a socket of its own, bound to {@code address}.
     *
     * @throws IOException when the address cannot be bound
     */
    static TrafficListener bind(XnioWorker worker, HostPort address, HttpHandler handler, ProxySettings settings,
                                FrontendErrors errors) throws IOException {
        return new TrafficListener(handler, settings, errors, options -> {
            // Bound here and served like the supervisor's socket, so that both take the same accept path.
            ServerSocketChannel socket = ServerSocketChannel.open();
            try {
                socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                socket.bind(new InetSocketAddress(address.host(), address.port()), BACKLOG);
                return AlreadyBoundTcpServers.serve(worker, socket, options);
            } catch (IOException | RuntimeException e) {
                IoUtils.safeClose(socket);
                throw e;
            }
        });
    }

    /**
     * A listener on a socket another process bound and shares with this one (the supervisor's, inherited on standard
     * input). Connections that arrive while no process accepts wait in that socket's backlog.
     */
    static TrafficListener inherit(XnioWorker worker, ServerSocketChannel socket, HttpHandler handler,
            ProxySettings settings, FrontendErrors errors) throws IOException {
        return new TrafficListener(handler, settings, errors,
                options -> AlreadyBoundTcpServers.serve(worker, socket, options));
    }

    InetSocketAddress address() {
        return server.getLocalAddress(InetSocketAddress.class);
    }

    long activeConnections() {
        return openConnections.sum();
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

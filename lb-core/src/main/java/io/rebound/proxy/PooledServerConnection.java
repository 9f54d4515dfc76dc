package io.rebound.proxy;

import io.undertow.client.ClientConnection;
import io.undertow.client.http.HttpClientConnections;
import io.undertow.connector.ByteBufferPool;
import java.io.IOException;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * A connection of a {@link ServerConnectionPool}: Undertow's HTTP client connection, and the conduit under it that
 * sees the raw bytes of its responses. It is reused only while those bytes kept in step with its exchanges.
 */
final class PooledServerConnection extends DelegatingClientConnection {
    private final ResponseFramingConduit responses;
    /** Exchanges it was handed out for; touched only on its I/O thread. */
    private int exchanges;

    private PooledServerConnection(ClientConnection delegate, ResponseFramingConduit responses) {
        super(delegate);
        this.responses = responses;
    }

    /**
     * An HTTP client connection over {@code socket}, just connected, with the response conduit under it. The socket
     * resets when closed, unless closed between responses ({@link ResponseFramingConduit#closeCleanly()}).
     */
    static PooledServerConnection open(StreamConnection socket, OptionMap options, ByteBufferPool buffers) {
        try {
            socket.setOption(Options.CLOSE_ABORT, true);
        } catch (IOException | RuntimeException ignored) {
            // Closes after a failure are clean ones then, and still write nothing more.
        }
        ConduitStreamSourceChannel source = socket.getSourceChannel();
        ResponseFramingConduit responses = new ResponseFramingConduit(source.getConduit(), socket);
        source.setConduit(responses);
        return new PooledServerConnection(HttpClientConnections.over(socket, options, buffers), responses);
    }

    /** It is handed out for an exchange. */
    void handedOut() {
        exchanges++;
    }

    /** Whether it carried an exchange before the current one: the server may have closed it meanwhile. */
    boolean reused() {
        return exchanges > 1;
    }

    ResponseFramingConduit responses() {
        return responses;
    }

    /**
     * Whether it may carry another exchange: open, not upgraded, its last response read to its end, and nothing
     * received outside a response.
     */
    boolean reusable() {
        return delegate.isOpen() && !delegate.isUpgraded() && responses.betweenResponses();
    }

    /** Closes cleanly between responses; otherwise resets, as the server's part of the exchange is not over. */
    @Override
    public void close() throws IOException {
        if (responses.betweenResponses()) {
            responses.closeCleanly();
            delegate.close();
        } else {
            AbortingClientConnection.abort(delegate);
        }
    }
}

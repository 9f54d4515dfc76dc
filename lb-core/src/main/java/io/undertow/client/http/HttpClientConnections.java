package io.undertow.client.http;

import io.undertow.client.ClientConnection;
import io.undertow.connector.ByteBufferPool;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;

/**
 * Rebound's one adapter into Undertow's HTTP client: an HTTP/1.1 client connection over a TCP connection that Rebound
 * opened itself. Undertow's only public way to a client connection, {@code UndertowClient.connect}, opens the socket
 * and builds the connection in one step, so nothing can sit between the socket and the connection's response parser;
 * Rebound puts a conduit there that sees the raw bytes of every response, to check their framing strictly
 * ({@code io.rebound.proxy.ResponseFramingConduit}). This class does what {@code HttpClientProvider} does once a plain
 * (non-TLS) socket is connected, which needs the package-private constructor of {@code HttpClientConnection} and hence
 * lives in Undertow's package (on the class path Undertow's jar is neither sealed nor a module, so the package may be
 * shared).
 *
 * <p>Coupled to Undertow 2.4's {@code HttpClientConnection(StreamConnection, OptionMap, ByteBufferPool)} as in 2.4.4:
 * a change of it breaks the build, not the running proxy. Every proxy test runs through this class.
 */
public final class HttpClientConnections {
    private HttpClientConnections() {
    }

    /**
     * An HTTP/1.1 client connection over {@code connection}, which must be connected, plain TCP, and not yet read from.
     * The connection's source conduit as set now is what the client reads responses from.
     *
     * @param options options of the client connection, as given to {@code UndertowClient.connect}
     */
    public static ClientConnection over(StreamConnection connection, OptionMap options, ByteBufferPool bufferPool) {
        return new HttpClientConnection(connection, options, bufferPool);
    }
}

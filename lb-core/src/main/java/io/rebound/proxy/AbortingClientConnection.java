package io.rebound.proxy;

import io.undertow.client.ClientConnection;
import java.io.IOException;
import org.xnio.IoUtils;
import org.xnio.Options;
import org.xnio.StreamConnection;

/**
 * A server connection whose close aborts it. {@code ProxyHandler} closes a server connection only when its exchange
 * failed (the client's body was cut or invalid, a timeout, a read error), and Undertow's own close is a clean one: it
 * shuts the request down first, which for a chunked request writes the last chunk, so the server took a cut body for a
 * whole one. Here the socket is reset instead, with nothing more written: the server sees an incomplete request and
 * acts on none of it. The connection is never reused after that.
 */
final class AbortingClientConnection extends DelegatingClientConnection {

    AbortingClientConnection(ClientConnection delegate) {
        super(delegate);
    }

    @Override
    public void close() throws IOException {
        abort(delegate);
    }

    /** Resets {@code connection}'s socket without writing anything more to it. */
    static void abort(ClientConnection connection) {
        // Not guarded by isOpen(): that is false, with the socket still open, once the server asked to close after
        // its response. On a closed socket this does nothing.
        StreamConnection socket;
        try {
            // Takes the socket out of Undertow's HTTP framing: the sink is its plain conduit again.
            socket = connection.performUpgrade();
        } catch (IOException | RuntimeException e) {
            IoUtils.safeClose(connection);
            return;
        }
        try {
            socket.setOption(Options.CLOSE_ABORT, true);
        } catch (IOException | RuntimeException ignored) {
            // A plain close still writes nothing more.
        }
        IoUtils.safeClose(socket);
    }
}

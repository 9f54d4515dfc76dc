package org.xnio.nio;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * Rebound's one adapter into XNIO: an XNIO TCP server over a listening socket that is already bound, such as the one
 * the supervisor passes its proxy child on standard input. XNIO's only public way to a server,
 * {@code XnioWorker.createStreamConnectionServer}, opens and binds a socket of its own; this class does what that
 * method does after its bind, which needs XNIO's package-private server types and hence lives in XNIO's package
 * (on the class path XNIO's jar is neither sealed nor a module, so the package may be shared).
 *
 * <p>Each I/O thread accepts on its own ({@code NioTcpServer} with {@code useQueued = false}).
 * {@code createTcpConnectionServer} instead wraps the server in {@code QueuedNioTcpServer2}, whose one accept
 * thread hands every connection to an I/O thread through a task queue and a selector wake-up: with a new connection
 * per request that costs a wake-up, a context switch and a third busy thread, about 15% of the proxy's CPU time per
 * request on 2 cores (docs/benchmarks.md). Both I/O threads wake for each pending connection and one finds nothing to
 * accept. {@code NioTcpServer.accept} still registers what it accepted on an I/O thread picked at random, so about
 * half of the connections are handed to the other thread (a selector wake-up, and another when the connection
 * closes); the system calls that adds are counted in docs/benchmarks.md.
 *
 * <p>Coupled to XNIO 3.8's {@code NioTcpServer(NioXnioWorker, ServerSocketChannel, OptionMap, boolean)} as in
 * 3.8.16: a change of it breaks the build, not the running proxy. The proxy's listener tests run through this class.
 */
public final class AlreadyBoundTcpServers {
    private AlreadyBoundTcpServers() {
    }

    /**
     * An accepting channel over {@code bound}, with accepts suspended; its I/O threads are {@code worker}'s.
     *
     * @param worker an NIO worker, as {@code Xnio.getInstance().createWorker} makes on this class path
     * @param options options of the accepted connections, such as {@code Options.TCP_NODELAY}
     */
    public static AcceptingChannel<StreamConnection> serve(XnioWorker worker, ServerSocketChannel bound,
            OptionMap options) throws IOException {
        if (!(worker instanceof NioXnioWorker nioWorker)) {
            throw new IllegalArgumentException("worker: " + worker.getClass().getName()
                    + " (expected: XNIO's NIO worker)");
        }
        if (bound.getLocalAddress() == null) {
            throw new IllegalArgumentException("bound: " + bound + " (expected: a bound listening socket)");
        }
        bound.configureBlocking(false);
        return new NioTcpServer(nioWorker, bound, options, false);
    }
}

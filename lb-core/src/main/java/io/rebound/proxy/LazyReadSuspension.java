package io.rebound.proxy;

import org.xnio.StreamConnection;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ReadReadyHandler;
import org.xnio.conduits.StreamSourceConduit;

/**
 * The socket's source conduit under everything else, which suspends reads lazily. Undertow's HTTP/1.1 server suspends
 * reads on a client connection once a request head is parsed and resumes them when the exchange ends; through the
 * JDK's epoll selector that is an {@code epoll_ctl} DEL and an ADD per request. Here a suspend is only recorded: the
 * socket stays registered, and a read readiness that arrives while suspended (the next pipelined request, a client's
 * FIN) is swallowed and suspends reads for real, once. A resume after a recorded suspend costs nothing.
 *
 * <p>Every layer above sees reads as suspended ({@link #isReadResumed()} is false) and gets no read event until it
 * resumes them, as before; only the kernel's registration differs. Installed when a connection is accepted, first.
 */
final class LazyReadSuspension extends AbstractStreamSourceConduit<StreamSourceConduit> implements ReadReadyHandler {
    /** What the layers above asked for; volatile as they may resume from another thread. */
    private volatile boolean suspended;
    private ReadReadyHandler handler;

    private LazyReadSuspension(StreamSourceConduit socket) {
        super(socket);
    }

    /** Puts the conduit right on {@code connection}'s socket; call before any other conduit is installed. */
    static void install(StreamConnection connection) {
        // The channel gave the socket conduit this kind of handler when it was created; it now goes through here.
        connection.getSourceChannel().setConduit(over(connection.getSourceChannel().getConduit(),
                new ReadReadyHandler.ChannelListenerHandler<>(connection.getSourceChannel())));
    }

    /** The conduit over {@code socket}, whose read events go to {@code handler} while reads are resumed. */
    static LazyReadSuspension over(StreamSourceConduit socket, ReadReadyHandler handler) {
        LazyReadSuspension lazy = new LazyReadSuspension(socket);
        lazy.setReadReadyHandler(handler);
        return lazy;
    }

    @Override
    public void setReadReadyHandler(ReadReadyHandler handler) {
        this.handler = handler;
        next.setReadReadyHandler(this);
    }

    @Override
    public void suspendReads() {
        suspended = true;
    }

    @Override
    public void resumeReads() {
        suspended = false;
        if (!next.isReadResumed()) {
            next.resumeReads();
        }
    }

    @Override
    public void wakeupReads() {
        suspended = false;
        next.wakeupReads();
    }

    @Override
    public boolean isReadResumed() {
        return !suspended && next.isReadResumed();
    }

    /** The socket is readable: passed on, unless reads are suspended, which they now become for real. */
    @Override
    public void readReady() {
        if (suspended) {
            next.suspendReads();
            if (suspended) {
                return;
            }
            next.resumeReads(); // resumed from another thread meanwhile
        }
        handler.readReady();
    }

    @Override
    public void forceTermination() {
        handler.forceTermination();
    }

    @Override
    public void terminated() {
        handler.terminated();
    }
}

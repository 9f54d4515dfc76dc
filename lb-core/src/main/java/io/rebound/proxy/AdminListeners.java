package io.rebound.proxy;

import io.rebound.config.HostPort;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioWorker;

/**
 * The admin endpoints' listeners. Normally one, on {@code rebound.admin.bind}, bound at start or not at all. A proxy
 * that takes over from a running one (a reload: {@code --successor-admin}) cannot have that address yet, since its
 * predecessor serves it until it has drained; it serves an interim address the supervisor chose at once, and takes
 * {@code rebound.admin.bind} as soon as the predecessor lets go of it, so scrapes and {@code rebound status} find
 * the new proxy where they always look.
 */
final class AdminListeners implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminListeners.class);
    /** How often a successor tries the configured address while its predecessor still holds it. */
    static final Duration TAKEOVER_RETRY = Duration.ofMillis(100);

    private final XnioWorker worker;
    private final HttpHandler handler;
    private final List<Undertow> bound = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private AdminListeners(XnioWorker worker, HttpHandler handler) {
        this.worker = worker;
        this.handler = handler;
    }

    /**
     * Binds {@code configured} now.
     *
     * @throws ListenerBindException when it cannot
     */
    static AdminListeners bind(XnioWorker worker, HttpHandler handler, HostPort configured) {
        AdminListeners listeners = new AdminListeners(worker, handler);
        listeners.bound.add(listeners.listen(configured, "rebound.admin.bind"));
        return listeners;
    }

    /**
     * Binds {@code interim} now, and {@code configured} once it is free, trying every {@link #TAKEOVER_RETRY}.
     *
     * @throws ListenerBindException when {@code interim} cannot be bound
     */
    static AdminListeners takeOver(XnioWorker worker, HttpHandler handler, HostPort interim, HostPort configured) {
        AdminListeners listeners = new AdminListeners(worker, handler);
        listeners.bound.add(listeners.listen(interim, "--successor-admin"));
        Thread taker = new Thread(() -> listeners.takeWhenFree(configured), "rebound-admin-takeover");
        taker.setDaemon(true);
        taker.start();
        return listeners;
    }

    /** The first address bound: the configured one, or a successor's interim one. */
    InetSocketAddress address() {
        return (InetSocketAddress) bound.get(0).getListenerInfo().get(0).getAddress();
    }

    private void takeWhenFree(HostPort configured) {
        long startedNanos = System.nanoTime();
        InetSocketAddress interim = address();
        boolean told = false;
        while (!closed) {
            try {
                Undertow listener = listen(configured, "rebound.admin.bind");
                synchronized (this) {
                    if (closed) {
                        listener.stop();
                        return;
                    }
                    bound.add(listener);
                }
                log.info("Admin listener on {} taken over from the previous proxy after {} ms", configured,
                        (System.nanoTime() - startedNanos) / 1_000_000);
                return;
            } catch (ListenerBindException e) {
                if (!told) {
                    log.info("Admin address {} is still held (by the previous proxy while it drains); serving on {} "
                            + "and taking {} once it is free", configured, interim, configured);
                    told = true;
                }
            }
            try {
                Thread.sleep(TAKEOVER_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Undertow listen(HostPort address, String key) {
        Undertow undertow = Undertow.builder().setWorker(worker).addHttpListener(address.port(), address.host())
                .setHandler(handler).build();
        try {
            undertow.start();
            return undertow;
        } catch (RuntimeException e) {
            undertow.stop();
            Throwable cause = e;
            while (cause != null && !(cause instanceof BindException)) {
                cause = cause.getCause();
            }
            String reason = cause != null ? cause.getMessage() : e.getMessage();
            throw new ListenerBindException("Cannot listen on " + address + " (" + key + "): " + reason, e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (Undertow listener : bound) {
            listener.stop();
        }
        bound.clear();
    }
}

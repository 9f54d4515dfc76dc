package io.rebound.supervisor;

import io.rebound.config.HostPort;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.Optional;

/**
 * The traffic listening socket, bound once by the supervisor and kept open for as long as it runs, so that a proxy
 * that dies leaves it open: connections that arrive while the next proxy starts wait in its backlog instead of being
 * refused. Every proxy child serves this same socket, which it finds on its standard input
 * ({@link ChildInput#SHARED_LISTENER}). The socket lives as long as this process (on its standard input) or any child
 * does; there is nothing to close.
 *
 * <p>Java starts children with no file descriptors beyond 0-2, and a {@code ProcessBuilder.Redirect} cannot name a
 * socket; but a child started with {@code Redirect.INHERIT} gets this process's standard input. So the socket is
 * placed on this process's descriptor 0 with {@code dup2}. Java has no public call for that; the JDK's
 * {@code sun.nio.ch.InheritedChannel} (the class behind {@link System#inheritedChannel()}) has a native {@code dup2},
 * and {@code sun.nio.ch.SelChImpl} tells a channel's descriptor. Both need
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}, which {@code bin/rebound} passes; without it
 * {@link #bind} reports {@link Unavailable} and the supervisor falls back to children binding the address themselves.
 * A supervisor started with the socket already on its standard input (systemd socket activation) takes it with
 * {@link #inherited}.
 */
public final class SharedListener {
    /** Connections the kernel queues while no proxy accepts: at 1,000 new connections a second, a second's worth. */
    public static final int BACKLOG = 1024;
    private static final int STANDARD_INPUT = 0;

    private final InetSocketAddress address;

    /** The socket itself stays open on descriptor 0 whatever becomes of {@code channel}. */
    private SharedListener(ServerSocketChannel channel) throws IOException {
        this.address = (InetSocketAddress) channel.getLocalAddress();
    }

    /**
     * Binds {@code address} (SO_REUSEADDR, backlog {@value #BACKLOG}) and places the socket on this process's standard
     * input, for the children to inherit. Never call it in a process whose standard input is in use (a test JVM).
     *
     * @throws IOException when the address cannot be bound, with a message naming it and {@code rebound.bind}
     * @throws Unavailable when this JVM does not let the socket be placed on standard input
     */
    public static SharedListener bind(HostPort address) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(address.host(), address.port()), BACKLOG);
            placeOnStandardInput(channel);
            return new SharedListener(channel);
        } catch (IOException | UnresolvedAddressException e) {
            channel.close();
            throw new IOException("Cannot listen on " + address + " (rebound.bind): "
                    + (e instanceof UnresolvedAddressException ? "unknown host" : e.getMessage()), e);
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void placeOnStandardInput(ServerSocketChannel channel) throws IOException {
        try {
            Method descriptor = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
            Method dup2 = Class.forName("sun.nio.ch.InheritedChannel")
                    .getDeclaredMethod("dup2", int.class, int.class);
            dup2.setAccessible(true);
            dup2.invoke(null, (int) descriptor.invoke(channel), STANDARD_INPUT);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new Unavailable(e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            // InaccessibleObjectException without --add-opens; NoSuchMethodException on a JDK that changed them.
            throw new Unavailable(e);
        }
    }

    /**
     * The listening socket this process was started with on its standard input, as systemd passes it with
     * {@code StandardInput=socket} (socket activation): already where the children find it, so no {@code dup2} and no
     * {@code --add-opens} are needed. Empty when standard input is not a listening socket.
     */
    public static Optional<SharedListener> inherited() throws IOException {
        Channel channel = System.inheritedChannel();
        if (channel instanceof ServerSocketChannel socket && socket.getLocalAddress() != null) {
            return Optional.of(new SharedListener(socket));
        }
        return Optional.empty();
    }

    /** The bound address, with the real port when the configuration asked for port 0. */
    public InetSocketAddress address() {
        return address;
    }

    /** This JVM cannot place a socket on its standard input (see the class comment). */
    public static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(Throwable cause) {
            super("this JVM does not let the supervisor pass its listening socket to the proxy (" + cause
                    + "); start it with --add-opens java.base/sun.nio.ch=ALL-UNNAMED, as bin/rebound does", cause);
        }
    }
}

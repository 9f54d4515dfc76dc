package org.xnio.nio;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;
import org.xnio.channels.Channels;

/**
 * The adapter over real sockets and a real XNIO worker with two I/O threads (the proxy's count on two cores), accepting
 * as {@code io.rebound.proxy.TrafficListener} does: in the accept listener, on the I/O thread that was woken.
 */
class AlreadyBoundTcpServersTest {
    /** Generous: the machine runs other builds beside this one. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final long READ_TIMEOUT_SECONDS = 10;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final BlockingQueue<StreamConnection> accepted = new LinkedBlockingQueue<>();
    private final AtomicInteger acceptedCount = new AtomicInteger();
    private XnioWorker worker;
    private ServerSocketChannel bound;

    @BeforeEach
    void startWorkerAndBind() throws IOException {
        worker = Xnio.getInstance().createWorker(OptionMap.builder()
                .set(Options.WORKER_NAME, "adapter-test")
                .set(Options.WORKER_IO_THREADS, 2)
                .set(Options.WORKER_TASK_CORE_THREADS, 1)
                .set(Options.WORKER_TASK_MAX_THREADS, 1)
                .getMap());
        bound = ServerSocketChannel.open();
        bound.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        accepted.forEach(IoUtils::safeClose);
        IoUtils.safeClose(bound);
        worker.shutdownNow();
        assertTrue(worker.awaitTermination(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the worker stopped");
    }

    @Test
    void servesTheSocketItWasGiven_andAcceptsAClientWhoseBytesAreReadable() throws IOException {
        AcceptingChannel<StreamConnection> server = serve(OptionMap.create(Options.TCP_NODELAY, true));
        assertEquals(bound.getLocalAddress(), server.getLocalAddress());

        Socket client = connect();
        client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        StreamConnection connection = nextAccepted();

        assertEquals(client.getLocalSocketAddress(), connection.getPeerAddress());
        assertEquals(bound.getLocalAddress(), connection.getLocalAddress());
        assertTrue(connection.getOption(Options.TCP_NODELAY), "the options given apply to accepted connections");
        assertEquals("hello", read(connection, 5));
    }

    @Test
    void pastTheHighWaterMark_aConnectionIsNotAccepted_untilAnAcceptedOneCloses() throws IOException {
        serve(OptionMap.builder()
                .set(Options.CONNECTION_HIGH_WATER, 2)
                .set(Options.CONNECTION_LOW_WATER, 2)
                .getMap());
        connect();
        connect();
        await().atMost(PATIENCE).untilAtomic(acceptedCount, equalTo(2));
        StreamConnection first = accepted.remove();
        toClose.add(accepted.remove());

        Socket third = connect();
        // What the test shows is an absence, so it holds for a while: the kernel has completed the third connection
        // (it waits in the backlog) and both I/O threads have had ample time to take it.
        await().during(Duration.ofMillis(500)).atMost(PATIENCE)
                .untilAtomic(acceptedCount, equalTo(2));

        IoUtils.safeClose(first);
        StreamConnection thirdAccepted = nextAccepted();
        assertEquals(third.getLocalSocketAddress(), thirdAccepted.getPeerAddress());
        assertEquals(3, acceptedCount.get());
    }

    @Test
    void closingTheAcceptingChannel_closesTheSocketGivenIn_whileAnAcceptedConnectionKeepsWorking() throws IOException {
        AcceptingChannel<StreamConnection> server = serve(OptionMap.EMPTY);
        InetSocketAddress address = (InetSocketAddress) bound.getLocalAddress();
        Socket client = connect();
        StreamConnection connection = nextAccepted();

        server.close();

        assertFalse(bound.isOpen(), "the adapter owns the socket it was given");
        assertThrows(ConnectException.class, () -> new Socket(address.getAddress(), address.getPort()).close());
        client.getOutputStream().write("still".getBytes(StandardCharsets.US_ASCII));
        assertEquals("still", read(connection, 5));
        Channels.writeBlocking(connection.getSinkChannel(), ByteBuffer.wrap("there".getBytes(StandardCharsets.US_ASCII)),
                READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Channels.flushBlocking(connection.getSinkChannel());
        client.setSoTimeout((int) TimeUnit.SECONDS.toMillis(READ_TIMEOUT_SECONDS));
        InputStream in = client.getInputStream();
        assertArrayEquals("there".getBytes(StandardCharsets.US_ASCII), in.readNBytes(5));
    }

    @Test
    void refusesASocketThatIsNotBound() throws IOException {
        try (ServerSocketChannel unbound = ServerSocketChannel.open()) {
            assertThrows(IllegalArgumentException.class,
                    () -> AlreadyBoundTcpServers.serve(worker, unbound, OptionMap.EMPTY));
        }
    }

    /** The adapter over {@link #bound}, accepting into {@link #accepted} as the proxy's traffic listener accepts. */
    private AcceptingChannel<StreamConnection> serve(OptionMap options) throws IOException {
        AcceptingChannel<StreamConnection> server = AlreadyBoundTcpServers.serve(worker, bound, options);
        toClose.add(server);
        server.getAcceptSetter().set(channel -> {
            StreamConnection connection;
            try {
                connection = channel.accept();
            } catch (IOException e) {
                return;
            }
            if (connection != null) {
                acceptedCount.incrementAndGet();
                accepted.add(connection);
            }
        });
        server.resumeAccepts();
        return server;
    }

    private Socket connect() throws IOException {
        InetSocketAddress address = (InetSocketAddress) bound.getLocalAddress();
        Socket client = new Socket(address.getAddress(), address.getPort());
        toClose.add(client);
        return client;
    }

    private StreamConnection nextAccepted() {
        return await().atMost(PATIENCE).until(accepted::poll, Objects::nonNull);
    }

    /** Exactly {@code length} bytes from {@code connection}, read from this (non-I/O) thread. */
    private static String read(StreamConnection connection, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int read = Channels.readBlocking(connection.getSourceChannel(), buffer, READ_TIMEOUT_SECONDS,
                    TimeUnit.SECONDS);
            if (read <= 0) {
                throw new IOException("read " + buffer.position() + " of " + length + " bytes (then " + read + ")");
            }
        }
        return new String(buffer.array(), StandardCharsets.US_ASCII);
    }
}

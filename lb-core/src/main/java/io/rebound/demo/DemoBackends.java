package io.rebound.demo;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * Tiny HTTP servers standing in for the reference setup's Apaches: server i (from 1) answers every request with
 * {@code This is apache<i>}. They share one small I/O worker. Used by {@code rebound demo} and by tests.
 */
public final class DemoBackends implements AutoCloseable {
    private final XnioWorker worker;
    private final List<Undertow> servers;
    private final List<Integer> ports;

    private DemoBackends(XnioWorker worker, List<Undertow> servers, List<Integer> ports) {
        this.worker = worker;
        this.servers = servers;
        this.ports = ports;
    }

    /**
     * Starts {@code count} servers on {@code host}, ports {@code firstPort} to {@code firstPort + count - 1}.
     *
     * @throws IllegalStateException when a port cannot be bound (everything started so far is stopped again)
     */
    public static DemoBackends start(String host, int firstPort, int count) {
        XnioWorker worker;
        try {
            worker = Xnio.getInstance().createWorker(OptionMap.builder().set(Options.WORKER_NAME, "demo-backends")
                    .set(Options.WORKER_IO_THREADS, 1).set(Options.WORKER_TASK_CORE_THREADS, 1)
                    .set(Options.WORKER_TASK_MAX_THREADS, 1).getMap());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot create the demo backends' worker: " + e.getMessage(), e);
        }
        List<Undertow> servers = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        DemoBackends backends = new DemoBackends(worker, servers, ports);
        try {
            for (int i = 1; i <= count; i++) {
                String body = "This is apache" + i + "\n";
                Undertow server = Undertow.builder().setWorker(worker)
                        .addHttpListener(firstPort + i - 1, host)
                        .setHandler(exchange -> {
                            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                            exchange.getResponseSender().send(body);
                        }).build();
                server.start();
                servers.add(server);
                ports.add(firstPort + i - 1);
            }
        } catch (RuntimeException e) {
            backends.close();
            throw new IllegalStateException("Cannot start demo backend on " + host + ":" + (firstPort + servers.size())
                    + ": " + e.getMessage(), e);
        }
        return backends;
    }

    /**
     * The first of {@code count} consecutive ports that are free on 127.0.0.1 as far as binding and releasing them can
     * tell; for runs that must not collide with a demo on the usual ports.
     *
     * @throws IllegalStateException when none is found
     */
    public static int freeConsecutivePorts(int count) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                first = probe.getLocalPort();
            } catch (IOException e) {
                continue;
            }
            if (first + count <= 65535 && allFree(first + 1, count - 1)) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports found on 127.0.0.1");
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                probe.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** The ports the servers listen on, apache1 first. */
    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    @Override
    public void close() {
        for (Undertow server : servers) {
            server.stop();
        }
        worker.shutdownNow();
    }
}

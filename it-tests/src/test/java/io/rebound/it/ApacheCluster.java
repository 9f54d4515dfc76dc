package io.rebound.it;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The three backends of the reference setup, apache1, apache2 and apache3, each in its own container. A drill class
 * starts them once ({@link #start()}), puts back whatever a drill broke ({@link #restoreAll()}) and removes them at
 * the end ({@link #close()}); a shutdown hook removes them too if the test JVM ends before that.
 */
final class ApacheCluster implements AutoCloseable {
    private final List<ApacheServer> servers;
    private final Thread removeOnExit;

    private ApacheCluster(List<ApacheServer> servers) {
        this.servers = List.copyOf(servers);
        this.removeOnExit = new Thread(this::stopAll, "remove-apache-containers");
        Runtime.getRuntime().addShutdownHook(removeOnExit);
    }

    static ApacheCluster start() {
        List<ApacheServer> started = new ArrayList<>();
        try {
            for (String name : List.of("apache1", "apache2", "apache3")) {
                ApacheServer server = new ApacheServer(name);
                started.add(server);
                server.start();
            }
            return new ApacheCluster(started);
        } catch (RuntimeException e) {
            started.forEach(server -> closeQuietly(server, e));
            throw e;
        }
    }

    List<ApacheServer> servers() {
        return servers;
    }

    ApacheServer server(String name) {
        return servers.stream().filter(server -> server.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no backend named " + name));
    }

    /** Starts again every killed server and unpauses every paused one; returns once all three serve. */
    void restoreAll() {
        servers.forEach(ApacheServer::restore);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(removeOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        stopAll();
    }

    private void stopAll() {
        RuntimeException failure = new RuntimeException("removing the Apache containers failed");
        servers.forEach(server -> closeQuietly(server, failure));
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    private static void closeQuietly(ApacheServer server, RuntimeException collector) {
        try {
            server.close();
        } catch (RuntimeException e) {
            collector.addSuppressed(e);
        }
    }
}

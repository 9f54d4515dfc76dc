package io.rebound.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.testing.ChildProxy;
import io.rebound.testing.Http;
import io.rebound.testing.TestBackend;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory attack, scaled to a small heap: a proxy process at -Xmx64m, and 150 connections at once, each sending
 * 900 KB of header lines without ever ending the head (135 MB of heads, twice the heap). The proxy must refuse them
 * and keep serving, in the same process: with Undertow's default of 1 MiB per head it ran out of memory.
 */
class UnfinishedHeadsMemoryTest {
    private static final int CONNECTIONS = 150;
    private static final int HEAD_BYTES = 900 * 1024;

    @Test
    void manyHugeUnfinishedHeadsAtOnceDoNotExhaustASmallHeapAndTheProxyKeepsServing(@TempDir Path dir)
            throws Exception {
        try (TestBackend backend = TestBackend.start("apache1")) {
            Path config = dir.resolve("rebound.conf");
            Files.writeString(config, "rebound { bind = \"127.0.0.1:0\", admin.bind = \"127.0.0.1:0\", io-threads = 2,"
                    + " access-log = off, servers = [ { name = apache1, address = \"" + backend.address()
                    + "\" } ] }\n");
            try (ChildProxy proxy = ChildProxy.start(Map.of(), "-Xmx64m", config)) {
                int port = proxy.trafficPort();
                long pid = proxy.process().pid();
                ExecutorService attackers = Executors.newFixedThreadPool(CONNECTIONS);
                try {
                    List<Future<?>> attacks = new ArrayList<>();
                    for (int i = 0; i < CONNECTIONS; i++) {
                        attacks.add(attackers.submit(() -> sendUnfinishedHead(port)));
                    }
                    for (Future<?> attack : attacks) {
                        attack.get(60, TimeUnit.SECONDS);
                    }
                } finally {
                    attackers.shutdownNow();
                }
                assertTrue(proxy.process().isAlive(), proxy.output());
                assertEquals(pid, proxy.process().pid());
                assertFalse(proxy.output().contains("OutOfMemoryError"), proxy.output());
                String response = Http.raw(port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                assertTrue(response.startsWith("HTTP/1.1 200"), response);
            }
        }
    }

    /** Writes the head until the proxy stops reading it (it answers 400 and closes) or all of it is sent. */
    private static Void sendUnfinishedHead(int port) throws IOException {
        byte[] line = ("X-Filler: " + "f".repeat(10_000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: a\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int sent = 0; sent < HEAD_BYTES; sent += line.length) {
                out.write(line);
            }
            out.flush();
            socket.getInputStream().read();
        } catch (IOException refused) {
            // The proxy closed the connection while the head was still coming: what a refusal looks like here.
        }
        return null;
    }
}

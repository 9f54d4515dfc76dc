package io.rebound.proxy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.testing.TestBackend;
import io.rebound.testing.TestProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProxyServerLifecycleTest {

    @Test
    void closingAProxyASecondTimeReturnsAtOnce() throws Exception {
        try (TestBackend backend = TestBackend.start("apache1")) {
            TestProxy proxy = TestProxy.start(List.of(backend), "");
            ProxyServer server = proxy.server();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                server.close(Duration.ofMillis(100));
                server.close(Duration.ofMillis(100));
                proxy.close();
            });
            assertFalse(server.isStarted());
        }
    }

    @Test
    void duringADrain_theNextRequestOnAnOpenKeepAliveConnectionIsServed_andClosesTheConnection() throws Exception {
        try (TestBackend backend = TestBackend.start("apache1");
                TestProxy proxy = TestProxy.start(List.of(backend), "").awaitAllUp();
                Socket client = new Socket("127.0.0.1", proxy.port())) {
            client.setSoTimeout(10_000);
            OutputStream out = client.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            out.write(request());
            assertEquals("HTTP/1.1 200 OK", readResponse(in).get(0));

            CompletableFuture<Void> closing = CompletableFuture.runAsync(
                    () -> proxy.server().close(Duration.ofSeconds(10)));
            await("the drain to begin").atMost(Duration.ofSeconds(10)).until(proxy.server()::isDraining);
            out.write(request());
            List<String> second = readResponse(in);

            assertEquals("HTTP/1.1 200 OK", second.get(0), second.toString());
            assertTrue(second.stream().anyMatch(line -> line.equalsIgnoreCase("Connection: close")),
                    second.toString());
            assertEquals(-1, in.read(), "the proxy closed the connection after that response");
            closing.get(10, TimeUnit.SECONDS);
        }
    }

    private static byte[] request() {
        return "GET / HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    /** The status line and headers of one response, whose body (Content-Length) is read and dropped. */
    private static List<String> readResponse(BufferedReader in) throws IOException {
        List<String> head = new java.util.ArrayList<>();
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            head.add(line);
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        for (int i = 0; i < length; i++) {
            in.read();
        }
        return head;
    }
}

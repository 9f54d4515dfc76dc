package io.rebound.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.testing.Http;
import io.rebound.testing.TestBackend;
import io.rebound.testing.TestProxy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BadRequestsTest {
    private TestBackend backend;
    private TestProxy proxy;

    @BeforeEach
    void start() {
        backend = TestBackend.start("apache1");
        proxy = TestProxy.start(List.of(backend), "rebound.max-request-body = 1KiB\n").awaitAllUp();
    }

    @AfterEach
    void stop() {
        proxy.close();
        backend.close();
    }

    @Test
    void aMalformedRequestLineGets400AndTheProxyKeepsServing() {
        String response = Http.raw(proxy.port(), "THIS IS NOT HTTP\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        assertEquals(200, Http.get(proxy.uri("/")).statusCode());
    }

    @Test
    void aRequestWithAnInvalidHeaderGets400AndTheProxyKeepsServing() {
        String response = Http.raw(proxy.port(), "GET / HTTP/1.1\r\nHost: a\r\nBad Header Name: x\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        assertEquals(200, Http.get(proxy.uri("/")).statusCode());
    }

    @Test
    void aRequestBodyOverTheLimitGets413AndNeverReachesAServer() {
        int before = backend.trafficRequests();
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(proxy.uri("/upload"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(2048))).build());
        assertEquals(413, response.statusCode());
        assertEquals(before, backend.trafficRequests());
        assertEquals(200, Http.get(proxy.uri("/")).statusCode());
    }

    @Test
    void aChunkedRequestBodyOverTheLimitIsRefusedAndTheProxyKeepsServing() {
        String chunk = "x".repeat(1500);
        String response = Http.raw(proxy.port(), "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");
        assertTrue(response.isEmpty() || response.startsWith("HTTP/1.1 413"), response);
        assertEquals(200, Http.get(proxy.uri("/")).statusCode());
    }

    @Test
    void aRequestBodyWithinTheLimitIsForwarded() {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(proxy.uri("/upload"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(512))).build());
        assertEquals(200, response.statusCode());
    }
}

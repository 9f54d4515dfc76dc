package io.rebound.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.testing.ClosedAfterEach;
import io.rebound.testing.Http;
import io.rebound.testing.TestBackend;
import io.rebound.testing.TestProxy;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ForwardingHeadersTest {
    private TestBackend backend;
    private TestProxy proxy;

    @RegisterExtension
    final ClosedAfterEach started = new ClosedAfterEach();

    private void start(String hocon) {
        backend = started.add(TestBackend.start("apache1"));
        proxy = started.add(TestProxy.start(List.of(backend), hocon)).awaitAllUp();
    }

    private Map<String, List<String>> forward(String extraHeaders) {
        String response = Http.raw(proxy.port(), "GET /page?q=1 HTTP/1.1\r\nHost: www.example.com\r\n"
                + extraHeaders + "Connection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        return backend.lastTrafficHeaders();
    }

    @Test
    void theClientAddressIsAppendedAsXForwardedForWithProtoAndHost() {
        start("");
        Map<String, List<String>> headers = forward("");
        assertEquals(List.of("127.0.0.1"), headers.get("x-forwarded-for"));
        assertEquals(List.of("http"), headers.get("x-forwarded-proto"));
        assertEquals(List.of("www.example.com"), headers.get("x-forwarded-host"));
        assertEquals(List.of("www.example.com"), headers.get("host"), "Host is passed through");
    }

    @Test
    void anIncomingXForwardedForIsKeptAndExtendedNeverTakenAsTheClient() {
        start("");
        Map<String, List<String>> headers = forward("X-Forwarded-For: 203.0.113.7\r\n"
                + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\n");
        assertEquals(List.of("203.0.113.7,127.0.0.1"), headers.get("x-forwarded-for"));
        assertEquals(List.of("http"), headers.get("x-forwarded-proto"), "the client cannot claim https");
        assertEquals(List.of("www.example.com"), headers.get("x-forwarded-host"));
    }

    @Test
    void forwardedForOffSendsNoForwardedHeaders() {
        start("rebound.forwarded-for = off\n");
        Map<String, List<String>> headers = forward("");
        assertNull(headers.get("x-forwarded-for"));
        assertNull(headers.get("x-forwarded-proto"));
        assertNull(headers.get("x-forwarded-host"));
    }

    @Test
    void hopByHopRequestHeadersAndThoseNamedInConnectionAreNotForwarded() {
        start("");
        String response = Http.raw(proxy.port(), "GET / HTTP/1.1\r\nHost: a\r\n"
                + "Connection: close, X-Hop-Secret\r\nX-Hop-Secret: s3cret\r\nKeep-Alive: timeout=5\r\n"
                + "TE: trailers\r\nProxy-Authorization: Basic Zm9vOmJhcg==\r\nProxy-Connection: keep-alive\r\n"
                + "Upgrade: websocket\r\nX-End-To-End: kept\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        Map<String, List<String>> headers = backend.lastTrafficHeaders();
        for (String hop : List.of("x-hop-secret", "keep-alive", "te", "proxy-authorization", "proxy-connection",
                "upgrade")) {
            assertFalse(headers.containsKey(hop), hop + " reached the server: " + headers);
        }
        assertEquals(List.of("kept"), headers.get("x-end-to-end"));
    }

    @Test
    void hopByHopResponseHeadersAndThoseNamedInConnectionAreNotReturned() {
        start("");
        backend.addResponseHeader("Connection", "X-Backend-Private");
        backend.addResponseHeader("X-Backend-Private", "internal");
        backend.addResponseHeader("Keep-Alive", "timeout=5, max=100");
        backend.addResponseHeader("Proxy-Authenticate", "Basic");
        backend.addResponseHeader("X-End-To-End", "kept");
        String response = Http.raw(proxy.port(), "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
        assertTrue(head.startsWith("http/1.1 200"), response);
        assertFalse(head.contains("x-backend-private"), head);
        assertFalse(head.contains("keep-alive:"), head);
        assertFalse(head.contains("proxy-authenticate"), head);
        assertTrue(head.contains("x-end-to-end: kept"), head);
    }

    @Test
    void aHostHeaderIsPassedThroughUnchangedWithJavaNetHttpToo() {
        start("");
        Http.send(HttpRequest.newBuilder(proxy.uri("/")).header("X-Forwarded-For", "10.1.1.1, 10.2.2.2").build());
        assertEquals(List.of("10.1.1.1, 10.2.2.2,127.0.0.1"), backend.lastTrafficHeaders().get("x-forwarded-for"));
        assertEquals(List.of("127.0.0.1:" + proxy.port()), backend.lastTrafficHeaders().get("host"));
    }
}

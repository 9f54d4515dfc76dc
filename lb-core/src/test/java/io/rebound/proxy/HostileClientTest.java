package io.rebound.proxy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.testing.Http;
import io.rebound.testing.RecordingServer;
import io.rebound.testing.TestProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Broken and hostile clients on raw sockets: each malformed, cut, oversized or slow request gets its status (or
 * nothing, where the client cannot read one), reaches the server as no complete request, and the proxy keeps serving.
 */
class HostileClientTest {
    private static final String CHUNKED_POST = "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

    private RecordingServer server;
    private TestProxy proxy;

    private void start(String extraHocon) {
        server = RecordingServer.start("apache1");
        proxy = TestProxy.start("rebound.servers = [ { name = apache1, address = \"" + server.address() + "\" } ]\n"
                + "rebound.max-request-body = 4KiB\n" + extraHocon).awaitAllUp();
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aChunkedBodyCutByTheClientReachesNoServerAndGets400() throws IOException {
        start("");
        String response = sendThenHalfClose(CHUNKED_POST + "5\r\nhello\r\n");
        assertStatus(400, response);
        assertNothingCompleteReachedTheServer();
        assertStillServing();
    }

    @Test
    void aHeadWithoutItsFinalEmptyLineReachesNoServer() throws IOException {
        start("");
        for (String cut : List.of("GET / HTTP/1.1\r\nHost: a\r\n", "GET / HTTP/1.1\r\nHost: a\r\n\r",
                "GET / HTTP/1.1\r\nHost: a")) {
            String response = sendThenHalfClose(cut);
            assertTrue(response.isEmpty() || response.startsWith("HTTP/1.1 400 "), response);
            assertNothingCompleteReachedTheServer();
        }
        assertStillServing();
    }

    @Test
    void aContentLengthBodyCutByTheClientReachesNoServerAndGets400() throws IOException {
        start("");
        String response = sendThenHalfClose("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nhello");
        assertStatus(400, response);
        assertNothingCompleteReachedTheServer();
        assertStillServing();
        String metrics = Http.get(proxy.adminUri("/metrics")).body();
        assertTrue(metrics.contains("rebound_frontend_request_errors_total{reason=\"cut-body\"} 1.0"), metrics);
    }

    @Test
    void aBadChunkSizeAfterAGoodChunkReachesNoServer() {
        start("");
        assertRefused(400, CHUNKED_POST + "5\r\nhello\r\nzz\r\nmore\r\n0\r\n\r\n");
    }

    @Test
    void anInvalidFirstChunkSizeReachesNoServer() {
        start("");
        for (String size : List.of("-1", "zz", "ffffffffffffffff1", "")) {
            assertRefused(400, CHUNKED_POST + size + "\r\nhello\r\n0\r\n\r\n");
        }
    }

    @Test
    void bytesAfterAChunksDataReachNoServer() {
        start("");
        assertRefused(400, CHUNKED_POST + "5\r\nhelloXX\r\n0\r\n\r\n");
    }

    @Test
    void aValidChunkedBodyArrivesWholeWithItsLength() {
        start("");
        String response = Http.raw(proxy.port(), CHUNKED_POST.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n")
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertStatus(200, response);
        List<String> received = server.completeRequests();
        assertEquals(1, received.size(), received.toString());
        assertTrue(received.get(0).contains("Content-Length: 11\r\n"), received.get(0));
        assertTrue(received.get(0).endsWith("\r\n\r\nhello world"), received.get(0));
    }

    @Test
    void aChunkedBodyOverTheLimitGets413AndReachesNoServer() {
        start("");
        String chunk = "x".repeat(3000);
        assertRefused(413, CHUNKED_POST + "bb8\r\n" + chunk + "\r\nbb8\r\n" + chunk + "\r\n0\r\n\r\n");
    }

    @Test
    void aStreamedChunkedBodyOverTheLimitIsResetAtTheServerNeverFinished() {
        start("rebound.request-buffer.size = 1KiB\n");
        String chunk = "x".repeat(3000);
        String response = Http.raw(proxy.port(), CHUNKED_POST + "bb8\r\n" + chunk + "\r\nbb8\r\n" + chunk
                + "\r\n0\r\n\r\n");
        assertTrue(response.isEmpty() || response.startsWith("HTTP/1.1 413"), response);
        assertNothingCompleteReachedTheServer();
        assertStillServing();
    }

    @Test
    void aStreamedChunkedBodyCutByTheClientIsResetAtTheServerNeverFinished() throws IOException {
        start("rebound.request-buffer.size = 0\n");
        sendThenHalfClose(CHUNKED_POST + "5\r\nhello\r\n");
        await("the server got the first chunk").atMost(Duration.ofSeconds(5))
                .until(() -> server.trafficBytes().contains("hello"));
        assertNothingCompleteReachedTheServer();
        assertFalseThat(server.trafficBytes().contains("\r\n0\r\n\r\n"), server.trafficBytes());
        assertStillServing();
    }

    @Test
    void aTransferEncodingOtherThanChunkedReachesNoServer() {
        start("");
        for (String coding : List.of("xchunked", ",chunked", "\"chunked\"", "chunked, identity", "identity",
                "chunked, chunked")) {
            assertRefused(400, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: " + coding
                    + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        }
        assertRefused(501, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
        assertRefused(400, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\nTransfer-Encoding: chunked"
                + "\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n");
    }

    @Test
    void aLongRequestLineGets414AndALongTargetBeyondTheHeadLimit400() {
        start("");
        assertRefused(414, "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n\r\n");
        assertRefusedWhileSending("GET /" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: a\r\n\r\n");
    }

    @Test
    void aLargeHeaderFieldOrTooManyFieldsGet431AndAHugeHead400() {
        start("");
        assertRefused(431, "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n");
        assertRefused(431, "GET / HTTP/1.1\r\nHost: a\r\n" + "X-F: 1\r\n".repeat(120) + "\r\n");
        assertRefusedWhileSending("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(70_000) + "\r\n\r\n");
        assertRefusedWhileSending("GET / HTTP/1.1\r\nHost: a\r\n"
                + ("X-Filler: " + "f".repeat(990) + "\r\n").repeat(900) + "\r\n");
        String metrics = Http.get(proxy.adminUri("/metrics")).body();
        assertTrue(metrics.contains("rebound_frontend_request_errors_total{reason=\"header-field-too-large\"} 1.0"),
                metrics);
        assertTrue(metrics.contains("rebound_frontend_request_errors_total{reason=\"request-head-too-large\"} 2.0"),
                metrics);
    }

    @Test
    void anUnfinishedHeadGets408AfterTheRequestHeadTimeout() throws IOException {
        start("rebound.timeouts.request-head = 300ms\n");
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: 1".getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertStatus(408, response);
        }
        assertNothingCompleteReachedTheServer();
        assertStillServing();
    }

    @Test
    void twoForwardedForLinesAreOneListExtendedByThePeer() {
        start("");
        String response = Http.raw(proxy.port(), "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.0.0.1\r\n"
                + "X-Forwarded-For: 10.0.0.2, 10.0.0.3\r\nConnection: close\r\n\r\n");
        assertStatus(200, response);
        String received = server.completeRequests().get(0);
        assertTrue(received.contains("X-Forwarded-For: 10.0.0.1, 10.0.0.2, 10.0.0.3,127.0.0.1\r\n"), received);
        assertEquals(1, received.split("X-Forwarded-For", -1).length - 1, received);
    }

    @Test
    void anAbsoluteFormTargetWhoseAuthorityDiffersFromHostIsRefused() {
        start("");
        assertRefused(400, "GET http://a.example/x HTTP/1.1\r\nHost: b.example\r\n\r\n");
        assertRefused(400, "GET ftp://a.example/x HTTP/1.1\r\nHost: a.example\r\n\r\n");
    }

    @Test
    void anAbsoluteFormTargetIsForwardedInOriginFormWithItsAuthorityAsHost() {
        start("");
        String response = Http.raw(proxy.port(), "GET http://a.example/x?q=1 HTTP/1.1\r\nHost: a.example\r\n"
                + "Connection: close\r\n\r\n");
        assertStatus(200, response);
        String received = server.completeRequests().get(0);
        assertTrue(received.startsWith("GET /x?q=1 HTTP/1.1\r\n"), received);
        assertTrue(received.contains("Host: a.example\r\n"), received);
    }

    @Test
    void pastTheClientConnectionLimitNewConnectionsWaitUntilOneCloses() throws IOException {
        start("rebound.limits.client-connections = 2\n");
        Socket first = new Socket("127.0.0.1", proxy.port());
        Socket second = new Socket("127.0.0.1", proxy.port());
        try (Socket third = new Socket("127.0.0.1", proxy.port())) {
            third.setSoTimeout(700);
            third.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThrowsTimeout(third.getInputStream());
            first.close();
            third.setSoTimeout(10_000);
            String response = new String(third.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertStatus(200, response);
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void clientsSendingTheirBodiesSlowlyHoldNoServerConnectionAndOthersAreServed() throws IOException {
        start("rebound.max-connections-per-server = 1\nrebound.queue.timeout = 300ms\n");
        List<Socket> slow = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                Socket socket = new Socket("127.0.0.1", proxy.port());
                slow.add(socket);
                socket.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n"
                        + "0123456789").getBytes(StandardCharsets.US_ASCII));
            }
            for (int i = 0; i < 20; i++) {
                assertEquals(200, Http.get(proxy.uri("/")).statusCode());
            }
            assertFalseThat(server.trafficBytes().contains("POST /upload"), server.trafficBytes());
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    private static void assertThrowsTimeout(InputStream in) throws IOException {
        try {
            int read = in.read();
            throw new AssertionError("expected no answer past the connection limit, read " + read);
        } catch (java.net.SocketTimeoutException expected) {
            // waiting in the backlog, as wanted
        }
    }

    /**
     * A request so large that the proxy refuses it while it is still being sent: the proxy answers 400 and closes, so
     * the client may see the 400, or only the reset of its unread bytes.
     */
    private void assertRefusedWhileSending(String request) {
        String response;
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException refusedWhileSending) {
                // the proxy closed while the head still came
            }
            try {
                response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (IOException reset) {
                response = "";
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        String answer = response;
        assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 400 "), answer);
        assertNothingCompleteReachedTheServer();
        assertStillServing();
    }

    private void assertRefused(int status, String request) {
        String response = Http.raw(proxy.port(), request);
        assertStatus(status, response);
        assertNothingCompleteReachedTheServer();
        assertStillServing();
    }

    private void assertNothingCompleteReachedTheServer() {
        assertEquals(List.of(), server.completeRequests().stream().filter(r -> !r.contains("Host: probe\r\n")).toList());
    }

    private void assertStillServing() {
        String response = Http.raw(proxy.port(), "GET / HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n");
        assertStatus(200, response);
    }

    private static void assertStatus(int status, String response) {
        assertTrue(response.startsWith("HTTP/1.1 " + status + " "), () -> "expected " + status + ", got: "
                + response.substring(0, Math.min(200, response.length())));
    }

    private static void assertFalseThat(boolean condition, String message) {
        assertTrue(!condition, message);
    }

    /** Sends {@code request}, shuts the sending side (FIN), and reads the answer until the proxy closes. */
    private String sendThenHalfClose(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.shutdownOutput();
            try {
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (IOException reset) {
                return "";
            }
        }
    }
}

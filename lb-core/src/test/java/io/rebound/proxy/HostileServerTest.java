package io.rebound.proxy;

import static io.rebound.testing.RawConnection.body;
import static io.rebound.testing.RawConnection.escape;
import static io.rebound.testing.RawConnection.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.testing.Http;
import io.rebound.testing.RawConnection;
import io.rebound.testing.ScriptedServer;
import io.rebound.testing.ScriptedServer.End;
import io.rebound.testing.ScriptedServer.Reply;
import io.rebound.testing.ScriptedServer.Request;
import io.rebound.testing.TestProxy;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server whose response is cut or malformed never makes the client see a complete message that the server did not
 * send, and never leaves a pooled server connection out of step: the client gets 502 while nothing of the response
 * was sent to it, and a connection closed before the message's end after that; the server connection is reset and
 * never reused; the client connection serves its next request when it got a 502. Valid responses, also in pieces,
 * still pass whole over a reused connection. The server is a raw socket answering scripted bytes
 * ({@link ScriptedServer}).
 */
class HostileServerTest {
    private static final String BAD_GATEWAY = "502 Bad Gateway: invalid response from the server\n";
    private static final String CHUNKED_HEAD = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    /** The chunk {@code 5\r\nhello\r\n} as the proxy forwards it: Undertow writes a chunk size in whole bytes. */
    private static final String HELLO_FORWARDED = "05\r\nhello\r\n";

    private ScriptedServer server;
    private TestProxy proxy;

    @BeforeEach
    void start() throws IOException {
        server = ScriptedServer.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        server.close();
    }

    private void startProxy(String extraHocon) {
        proxy = TestProxy.start(List.of(), "rebound.servers = [ { name = hostile, address = \"" + server.address()
                + "\", check = off } ]\nrebound.timeouts.response = 10s\n" + extraHocon);
    }

    static Stream<Arguments> invalidHeads() {
        return Stream.of(
                Arguments.of("Content-Length and Transfer-Encoding", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("two different Content-Length values",
                        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
                Arguments.of("a Content-Length list", "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello!"),
                Arguments.of("a negative Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nhello"),
                Arguments.of("a Content-Length that is no number",
                        "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nhello"),
                Arguments.of("a Content-Length with a sign", "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello"),
                Arguments.of("a Transfer-Encoding other than chunked",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("Transfer-Encoding chunked twice", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("a status line Undertow rejects", "HTTP/1.1 2x0 OK\r\nContent-Length: 5\r\n\r\nhello"),
                Arguments.of("a header line without a colon",
                        "HTTP/1.1 200 OK\r\nNo colon here\r\nContent-Length: 5\r\n\r\nhello"),
                Arguments.of("a chunk size zz with the head", CHUNKED_HEAD + "5\r\nhello\r\nzz\r\n\r\n"),
                Arguments.of("a chunk size -1 with the head", CHUNKED_HEAD + "-1\r\n\r\n"),
                Arguments.of("bytes after a chunk's data, with the head", CHUNKED_HEAD + "5\r\nhelloXX\r\n0\r\n\r\n"),
                Arguments.of("a chunk's data without its CRLF, with the head", CHUNKED_HEAD + "5\r\nhello0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidHeads")
    void anInvalidResponseNotYetForwardedGets502_theServerConnectionIsReset_andTheClientConnectionGoesOn(
            String malformation, String reply) {
        server.on("/bad", Reply.of(reply, End.KEEP_OPEN));
        startProxy("");

        try (RawConnection client = RawConnection.open(proxy.port())) {
            String answer = client.send(get("/bad")).readResponse();
            assertTrue(answer.startsWith("HTTP/1.1 502 Bad Gateway\r\n"), malformation + ": " + answer);
            assertEquals(BAD_GATEWAY, body(answer));
            assertEquals("ok /next\n", body(client.send(get("/next")).readResponse()),
                    "the next request on the same client connection");
        }
        assertEquals(List.of(new Request(1, "GET /bad HTTP/1.1"), new Request(2, "GET /next HTTP/1.1")),
                server.requests(), "the next request went on a new server connection");
        assertServerConnectionReset(1);
        assertTrue(Http.get(proxy.adminUri("/metrics")).body()
                        .contains("rebound_server_http_responses_total{code=\"5xx\",server=\"hostile\"} 1.0"),
                "the 502 counted for the server");
    }

    @Test
    void aResponseHeadCutByTheServerGets502AndIsNotRetried() {
        server.on("/cut-head", Reply.of("HTTP/1.1 200 OK\r\nContent-Le", End.CLOSE));
        startProxy("");

        try (RawConnection client = RawConnection.open(proxy.port())) {
            assertEquals(BAD_GATEWAY, body(client.send(get("/cut-head")).readResponse()));
            assertEquals("ok /next\n", body(client.send(get("/next")).readResponse()));
        }
        assertEquals(List.of(new Request(1, "GET /cut-head HTTP/1.1"), new Request(2, "GET /next HTTP/1.1")),
                server.requests(), "sent once, not retried");
    }

    static Stream<Arguments> cutBodies() {
        return Stream.of(
                Arguments.of("Content-Length not reached, then FIN",
                        Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcd", End.CLOSE), "abcd"),
                Arguments.of("Content-Length not reached, then RST",
                        Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcd", End.RESET), "abcd"),
                Arguments.of("chunked without the last chunk, then FIN",
                        Reply.of(CHUNKED_HEAD + "5\r\nhello\r\n", End.CLOSE), HELLO_FORWARDED),
                Arguments.of("chunked cut after a chunk size, then RST",
                        Reply.of(CHUNKED_HEAD + "5\r\nhello\r\n6\r\n", End.RESET), HELLO_FORWARDED),
                Arguments.of("chunked cut after a forwarded chunk, then FIN",
                        Reply.inTwoParts(CHUNKED_HEAD + "5\r\nhello\r\n", "6\r\n", End.CLOSE), HELLO_FORWARDED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cutBodies")
    void aResponseBodyCutByTheServerReachesTheClientIncomplete(String cut, Reply reply, String forwardedBody) {
        server.on("/cut", reply);
        startProxy("");

        String received;
        try (RawConnection client = RawConnection.open(proxy.port())) {
            client.send(get("/cut"));
            String head = client.readHead();
            if (reply.rest() != null) {
                client.readBytes(forwardedBody.length());
                server.releaseRest();
                received = head + forwardedBody + client.readUntilClosed();
            } else {
                received = head + client.readUntilClosed();
            }
        }
        assertEquals(escape(forwardedBody), escape(body(received)),
                cut + ": the body as far as it came, then the close");
        assertFalse(received.contains("0\r\n\r\n"), "no last chunk: " + escape(received));
        assertEquals("ok /next\n", answerOnNewConnection("/next"));
        assertEquals(2, server.requests().get(1).connection(), "the next request on a new server connection");
    }

    static Stream<Arguments> invalidLaterChunks() {
        return Stream.of(
                Arguments.of("a chunk size zz", "zz\r\n\r\n"),
                Arguments.of("a chunk size -1", "-1\r\n\r\n"),
                Arguments.of("bytes after a chunk's data", "3\r\nfooXX\r\n0\r\n\r\n"),
                Arguments.of("a chunk's data without its CRLF", "3\r\nfoo0\r\n\r\n"),
                Arguments.of("a chunk size line without CRLF", "3\nfoo\r\n0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidLaterChunks")
    void aChunkedResponseThatTurnsInvalidAfterItsStartIsCutForTheClient_andTheServerConnectionIsReset(
            String malformation, String rest) {
        server.on("/bad-later", Reply.inTwoParts(CHUNKED_HEAD + "5\r\nhello\r\n", rest, End.KEEP_OPEN));
        startProxy("");

        String received;
        try (RawConnection client = RawConnection.open(proxy.port())) {
            client.send(get("/bad-later"));
            String head = client.readHead();
            client.readBytes(HELLO_FORWARDED.length());
            server.releaseRest();
            received = head + HELLO_FORWARDED + client.readUntilClosed();
        }
        assertEquals(escape(HELLO_FORWARDED), escape(body(received)),
                malformation + ": the valid chunks only, then the close");
        assertServerConnectionReset(1);
        assertEquals("ok /next\n", answerOnNewConnection("/next"));
        assertEquals(2, server.requests().get(1).connection(), "the next request on a new server connection");
    }

    @Test
    void bytesAfterACompleteResponseNeverReachTheRequestWaitingForTheConnection_whichIsClosed() throws Exception {
        server.on("/smuggle", Reply.inTwoParts("", "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nfirst\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nsmuggled\n", End.KEEP_OPEN));
        startProxy("rebound.io-threads = 1\nrebound.max-connections-per-server = 1\n");

        try (RawConnection first = RawConnection.open(proxy.port());
             RawConnection second = RawConnection.open(proxy.port())) {
            first.send(get("/smuggle"));
            await("the first request reached the server").atMost(Duration.ofSeconds(5))
                    .until(() -> server.requests().size() == 1);
            second.send(get("/victim"));
            await("the second request waits for the one server connection").atMost(Duration.ofSeconds(5))
                    .until(() -> proxy.server().servers().all().get(0).inFlight() == 2);
            server.releaseRest();
            CompletableFuture<String> secondAnswer = CompletableFuture.supplyAsync(second::readResponse);
            assertEquals("first\n", body(first.readResponse()));
            assertEquals("ok /victim\n", body(secondAnswer.get()));
        }
        assertEquals(List.of(new Request(1, "GET /smuggle HTTP/1.1"), new Request(2, "GET /victim HTTP/1.1")),
                server.requests(), "the second request on a new server connection");
        await("the proxy closes the first server connection").atMost(Duration.ofSeconds(5))
                .until(() -> !server.ending(1).equals("open"));
    }

    @Test
    void bytesFromAServerWithNoRequestInFlightResetItsConnection_andTheNextRequestGoesOnANewOne() {
        server.on("/then-idle-bytes", Reply.inTwoParts("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n",
                "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n", End.KEEP_OPEN));
        startProxy("");

        try (RawConnection client = RawConnection.open(proxy.port())) {
            assertEquals("ok\n", body(client.send(get("/then-idle-bytes")).readResponse()));
            server.releaseRest();
            assertServerConnectionReset(1);
            assertEquals("ok /next\n", body(client.send(get("/next")).readResponse()));
        }
        assertEquals(2, server.requests().get(1).connection(), "the next request on a new server connection");
    }

    static Stream<Arguments> validResponses() {
        return Stream.of(
                Arguments.of("chunked in two reads, with an extension and a trailer", "GET",
                        Reply.inTwoParts(CHUNKED_HEAD + "5;name=value\r\nhello\r\n", "6\r\n world\r\n0\r\n"
                                + "X-Trailer: yes\r\n\r\n", End.KEEP_OPEN), "hello world"),
                Arguments.of("Content-Length in two reads", "GET", Reply.inTwoParts(
                        "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello", " world", End.KEEP_OPEN), "hello world"),
                Arguments.of("an interim 100 Continue first", "GET", Reply.of("HTTP/1.1 100 Continue\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", End.KEEP_OPEN), "hello"),
                Arguments.of("204 without a body", "GET",
                        Reply.of("HTTP/1.1 204 No Content\r\n\r\n", End.KEEP_OPEN), ""),
                Arguments.of("a HEAD response with Content-Length", "HEAD",
                        Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", End.KEEP_OPEN), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validResponses")
    void aValidResponseReachesTheClientWhole_andItsServerConnectionIsReused(String kind, String method, Reply reply,
                                                                           String body) throws Exception {
        server.on("/valid", reply);
        startProxy("rebound.io-threads = 1\n");

        HttpResponse<InputStream> response = Http.client().send(HttpRequest.newBuilder(proxy.uri("/valid"))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        String received;
        try (InputStream in = response.body()) {
            if (reply.rest() != null) {
                byte[] first = in.readNBytes("hello".length());
                server.releaseRest();
                received = new String(first, StandardCharsets.ISO_8859_1)
                        + new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            } else {
                received = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }
        assertEquals(body, received, kind);
        assertEquals("ok /next\n", Http.get(proxy.uri("/next")).body());
        assertEquals(List.of(new Request(1, method + " /valid HTTP/1.1"), new Request(1, "GET /next HTTP/1.1")),
                server.requests(), "both requests on one server connection");
    }

    private String answerOnNewConnection(String path) {
        try (RawConnection client = RawConnection.open(proxy.port())) {
            return body(client.send(get(path)).readResponse());
        }
    }

    private void assertServerConnectionReset(int connection) {
        await("the proxy ends server connection " + connection).atMost(Duration.ofSeconds(5))
                .until(() -> !server.ending(connection).equals("open"));
        assertEquals("reset", server.ending(connection), "how the proxy ended server connection " + connection);
    }
}

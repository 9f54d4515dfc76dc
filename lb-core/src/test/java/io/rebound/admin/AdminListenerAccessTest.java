package io.rebound.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rebound.testing.Http;
import io.rebound.testing.ProxyFixture;
import io.rebound.testing.TestProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The proxy's admin listener refuses requests by Host, Origin and token, over real sockets. */
class AdminListenerAccessTest {
    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();

    @TempDir
    Path dir;

    private final Logger accessLogger = (Logger) LoggerFactory.getLogger(AdminAccessHandler.class);
    private final ListAppender<ILoggingEvent> refusals = new ListAppender<>();

    @AfterEach
    void detachTheLogAppender() {
        accessLogger.detachAppender(refusals);
    }

    @Test
    void aRequestNamingAForeignHostIsRefusedWith403AndAOneLineReason() {
        int port = adminPort(start(""));

        String response = Http.raw(port, get("/servers", "evil.example:" + port));

        assertTrue(response.startsWith("HTTP/1.1 403 "), response);
        String body = body(response);
        assertEquals(1, body.lines().count(), body);
        assertTrue(body.contains("Host 'evil.example:" + port + "' is not this admin listener"), body);
        assertTrue(!response.contains("apache1"), "no server list: " + response);
    }

    @Test
    void loopbackNamesAndTheBoundAddressAreServed() {
        int port = adminPort(start(""));

        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "localhost", "127.0.0.2", "[::1]:" + port,
                "[::1]")) {
            String response = Http.raw(port, get("/health/live", host));
            assertTrue(response.startsWith("HTTP/1.1 200 "), host + ": " + response);
        }
    }

    @Test
    void aRequestWithoutHostIsServedOnLoopback_butRefusedByAWildcardListener() throws Exception {
        int loopback = adminPort(start(""));
        assertTrue(Http.raw(loopback, "GET /health/live HTTP/1.0\r\n\r\n").startsWith("HTTP/1.0 200 "));
        fixture.proxy().close();

        String token = tokenFile("t0ken");
        int wildcard = adminPort(start("rebound.admin { bind = \"*:0\", token-file = \"" + token + "\" }"));
        String response = Http.raw(wildcard, "GET /health/live HTTP/1.0\r\nAuthorization: Bearer t0ken\r\n\r\n");

        assertTrue(response.startsWith("HTTP/1.0 403 "), response);
        assertTrue(body(response).contains("without Host"), response);
        assertTrue(Http.raw(wildcard, "GET /health/live HTTP/1.0\r\nHost: 127.0.0.1:" + wildcard
                + "\r\nAuthorization: Bearer t0ken\r\n\r\n").startsWith("HTTP/1.0 200 "));
    }

    @Test
    void aPostFromAForeignOriginIsRefusedWith403_whileASameOriginPostIsServed() {
        int port = adminPort(start(""));

        String foreign = Http.raw(port, post("/health/live", port, "Origin: http://evil.example\r\n"));
        String crossSite = Http.raw(port, post("/health/live", port, "Sec-Fetch-Site: cross-site\r\n"));
        String sameOrigin = Http.raw(port, post("/health/live", port, "Origin: http://127.0.0.1:" + port + "\r\n"));

        assertTrue(foreign.startsWith("HTTP/1.1 403 "), foreign);
        assertTrue(body(foreign).contains("Origin 'http://evil.example'"), foreign);
        assertTrue(crossSite.startsWith("HTTP/1.1 403 "), crossSite);
        assertTrue(sameOrigin.startsWith("HTTP/1.1 200 "), sameOrigin);
    }

    @Test
    void withATokenFile_noTokenOrAWrongOneIs401_andTheRightOneIs200() throws Exception {
        int port = adminPort(start("rebound.admin.token-file = \"" + tokenFile("  s3cret\n") + "\""));

        String none = Http.raw(port, get("/servers", "127.0.0.1:" + port));
        String wrong = Http.raw(port, get("/servers", "127.0.0.1:" + port, "Authorization: Bearer s3cre7\r\n"));
        String basic = Http.raw(port, get("/servers", "127.0.0.1:" + port, "Authorization: Basic s3cret\r\n"));
        String right = Http.raw(port, get("/servers", "127.0.0.1:" + port, "Authorization: Bearer s3cret\r\n"));

        for (String refused : List.of(none, wrong, basic)) {
            assertTrue(refused.startsWith("HTTP/1.1 401 "), refused);
            assertTrue(refused.contains("\r\nWWW-Authenticate: Bearer\r\n"), refused);
            assertTrue(!refused.contains("apache1"), refused);
        }
        assertTrue(right.startsWith("HTTP/1.1 200 "), right);
        assertTrue(right.contains("\"name\": \"apache1\""), right);
    }

    @Test
    void refusalsAreLoggedOncePerConnectionWithTheReasonAndThePeer() {
        int port = adminPort(start(""));
        refusals.start();
        accessLogger.addAppender(refusals);

        String both = Http.raw(port, keepAlive("/servers", "evil.example") + get("/metrics", "evil.example"));
        Http.raw(port, get("/metrics", "other.example"));

        assertEquals(2, both.split("HTTP/1.1 403 ", -1).length - 1, both);
        List<ILoggingEvent> lines = refusals.list;
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(Level.WARN, lines.get(0).getLevel());
        assertTrue(lines.get(0).getFormattedMessage().contains("from /127.0.0.1:"), lines.get(0).getFormattedMessage());
        assertTrue(lines.get(0).getFormattedMessage().contains("403 Forbidden: Host 'evil.example'"),
                lines.get(0).getFormattedMessage());
        assertTrue(lines.get(1).getFormattedMessage().contains("Host 'other.example'"),
                lines.get(1).getFormattedMessage());
    }

    private TestProxy start(String hocon) {
        if (fixture.backends().isEmpty()) {
            fixture.backend("apache1");
        }
        return fixture.start(hocon);
    }

    private static int adminPort(TestProxy proxy) {
        return proxy.server().adminAddress().getPort();
    }

    private String tokenFile(String content) throws Exception {
        return Files.writeString(dir.resolve("admin-" + content.strip() + ".token"), content).toString();
    }

    /** A GET that asks the listener to close the connection after answering. */
    private static String get(String path, String host, String... headers) {
        return keepAlive(path, host, headers).replaceFirst("\r\n\r\n$", "\r\nConnection: close\r\n\r\n");
    }

    private static String keepAlive(String path, String host, String... headers) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + String.join("", headers) + "\r\n";
    }

    private static String post(String path, int port, String header) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + header
                + "Content-Length: 0\r\nConnection: close\r\n\r\n";
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
}

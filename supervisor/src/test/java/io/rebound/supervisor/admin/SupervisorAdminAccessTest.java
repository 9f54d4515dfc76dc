package io.rebound.supervisor.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.admin.AdminToken;
import io.rebound.config.HostPort;
import io.rebound.supervisor.FreePort;
import io.rebound.supervisor.ReloadOutcome;
import io.rebound.supervisor.StandIn;
import io.rebound.supervisor.Supervisor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's admin listener refuses requests by Host, Origin and token, over real sockets: a web page in a local
 * browser can neither POST /reload nor read /status.
 */
class SupervisorAdminAccessTest {
    private final AtomicInteger reloads = new AtomicInteger();
    private Supervisor supervisor;
    private SupervisorAdmin admin;
    private int port;

    @AfterEach
    void stopEverything() throws Exception {
        try {
            if (supervisor != null) {
                supervisor.stop("test over").get(20, TimeUnit.SECONDS);
            }
            if (admin != null) {
                admin.close();
            }
        } finally {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aRequestNamingAForeignHostIsRefusedWith403AndAOneLineReason() throws Exception {
        start(Optional.empty());

        String response = raw("GET /status HTTP/1.1\r\nHost: evil.example:" + port + "\r\n");

        assertTrue(response.startsWith("HTTP/1.1 403 "), response);
        assertEquals(1, body(response).lines().count(), response);
        assertTrue(body(response).contains("Host 'evil.example:" + port + "'"), response);
        assertTrue(!response.contains("supervisorPid"), response);
    }

    @Test
    void loopbackNamesAndTheBoundAddressAreServed() throws Exception {
        start(Optional.empty());

        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "localhost", "[::1]:" + port)) {
            String response = raw("GET /status HTTP/1.1\r\nHost: " + host + "\r\n");
            assertTrue(response.startsWith("HTTP/1.1 200 ") && response.contains("supervisorPid"),
                    host + ": " + response);
        }
    }

    @Test
    void aPostOfReloadFromAForeignOrigin_isRefusedWith403_andDoesNotReload() throws Exception {
        start(Optional.empty());

        String foreign = raw(post("Origin: http://evil.example\r\n"));
        String crossSite = raw(post("Sec-Fetch-Site: cross-site\r\n"));
        String nullOrigin = raw(post("Origin: null\r\n"));

        for (String refused : List.of(foreign, crossSite, nullOrigin)) {
            assertTrue(refused.startsWith("HTTP/1.1 403 "), refused);
        }
        assertEquals(0, reloads.get(), "reloads");
    }

    @Test
    void aSameOriginPostOfReload_reloads() throws Exception {
        start(Optional.empty());

        String sameOrigin = raw(post("Origin: http://localhost:" + port + "\r\n"));
        String withoutOrigin = raw(post(""));

        assertTrue(sameOrigin.startsWith("HTTP/1.1 200 "), sameOrigin);
        assertTrue(withoutOrigin.startsWith("HTTP/1.1 200 "), withoutOrigin);
        assertEquals(2, reloads.get(), "reloads");
    }

    @Test
    void withAToken_noTokenOrAWrongOneIs401_andTheRightOneIs200() throws Exception {
        start(Optional.of(AdminToken.of("s3cret")));
        String status = "GET /status HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n";

        String none = raw(status);
        String wrong = raw(status + "Authorization: Bearer s3cre7\r\n");
        String reloadWithoutToken = raw(post(""));
        String right = raw(status + "Authorization: Bearer s3cret\r\n");

        for (String refused : List.of(none, wrong, reloadWithoutToken)) {
            assertTrue(refused.startsWith("HTTP/1.1 401 "), refused);
            assertTrue(refused.contains("\r\nWWW-Authenticate: Bearer\r\n"), refused);
        }
        assertEquals(0, reloads.get(), "reloads");
        assertTrue(right.startsWith("HTTP/1.1 200 ") && right.contains("supervisorPid"), right);
    }

    private void start(Optional<AdminToken> token) {
        int childPort = FreePort.pick();
        supervisor = new Supervisor(StandIn.settings(childPort, ""), StandIn.command(childPort));
        admin = SupervisorAdmin.start(new HostPort("127.0.0.1", FreePort.pick()), token, supervisor, reason -> {
            reloads.incrementAndGet();
            return CompletableFuture.completedFuture(ReloadOutcome.reloaded("reloaded for the test"));
        });
        port = admin.address().getPort();
    }

    private String post(String header) {
        return "POST /reload HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + header + "Content-Length: 0\r\n";
    }

    /** Sends {@code head} (without its empty last line) on a new connection and reads until the listener closes it. */
    private String raw(String head) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
}

package io.rebound.proxy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.rebound.config.HostPort;
import io.rebound.testing.Http;
import io.rebound.testing.TestBackend;
import io.rebound.testing.TestProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A proxy started to take over from a running one (a reload) serves its admin endpoints on the interim address at
 * once and on {@code rebound.admin.bind} as soon as the previous holder lets go of it.
 */
class SuccessorAdminTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private TestBackend backend;
    private ProxyServer proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close(Duration.ZERO);
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void aSuccessorServesTheInterimAddressAtOnce_andTheConfiguredOneOnceItsHolderLetsGo() throws Exception {
        backend = TestBackend.start("apache1");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket previousHolder = new ServerSocket();
        previousHolder.bind(new InetSocketAddress(loopback, 0));
        int configured = previousHolder.getLocalPort();
        int interim = freePort();
        ProxySettings settings = TestProxy.settings(List.of(backend),
                "rebound.admin.bind = \"127.0.0.1:" + configured + "\"");

        try {
            proxy = ProxyServer.start(settings, null, new HostPort("127.0.0.1", interim));

            assertEquals(200, Http.get(admin(interim, "/health/ready")).statusCode(),
                    "the interim address answers while the configured one is held");
        } finally {
            previousHolder.close();
        }
        await("the configured admin address answers").atMost(BOUND).until(() -> answers(configured));
        assertEquals(200, Http.get(admin(configured, "/health/live")).statusCode());
        assertEquals(200, Http.get(admin(interim, "/health/live")).statusCode(), "the interim one stays");

        proxy.close(Duration.ZERO);
        proxy = null;
        assertFalse(answers(configured), "closed with the proxy");
        assertFalse(answers(interim), "closed with the proxy");
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
        } catch (IOException e) {
            return false;
        }
        return Http.get(admin(port, "/health/live")).statusCode() == 200;
    }

    private static URI admin(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

package io.rebound.proxy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.config.ExitCodes;
import io.rebound.testing.ChildProxy;
import io.rebound.testing.Http;
import io.rebound.testing.TestBackend;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyProcessTest {
    private static final Duration EXIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    private TestBackend backend;
    private ChildProxy child;

    @AfterEach
    void stop() {
        if (child != null) {
            child.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private Path config(String body) throws Exception {
        return Files.writeString(dir.resolve("rebound.conf"), body);
    }

    private Path configFor(TestBackend server, String extra) throws Exception {
        return config("""
                rebound {
                  bind = "127.0.0.1:0"
                  admin.bind = "127.0.0.1:0"
                  servers = [ { name = apache1, address = "%s" } ]
                  check { interval = 500ms, timeout = 400ms }
                %s}
                """.formatted(server.address(), extra));
    }

    @Test
    void anInvalidConfigurationExits78AndPrintsEveryProblemWithFileAndLine() throws Exception {
        Path file = config("""
                rebound {
                  balance = random
                  servers = []
                }
                """);
        child = ChildProxy.start(file);
        assertEquals(ExitCodes.CONFIG, child.awaitExit(EXIT));
        child.awaitOutput("rebound.conf: 3: Invalid value at 'rebound.servers'", EXIT);
        String output = child.output();
        assertTrue(output.contains("2 configuration errors"), output);
        assertTrue(output.contains("rebound.conf: 2: Invalid value at 'rebound.balance': random (expected: one of "
                + "round-robin, weighted-round-robin, least-connections)"), output);
        assertTrue(output.contains("rebound.conf: 3: Invalid value at 'rebound.servers': []"), output);
    }

    @Test
    void anEnvironmentVariableOverridesOneKeyAndIsValidatedLikeTheFile() throws Exception {
        backend = TestBackend.start("apache1");
        Path file = configFor(backend, "");
        child = ChildProxy.start(Map.of("CONFIG_FORCE_rebound_check_timeout", "5s"), file);
        assertEquals(ExitCodes.CONFIG, child.awaitExit(EXIT));
        child.awaitOutput("Invalid value at 'rebound.check.timeout': 5s (expected: less than", EXIT);
        assertTrue(child.output().contains("1 configuration error"), child.output());
    }

    @Test
    void sigtermLetsAnInFlightSlowRequestFinishAndExitsZero() throws Exception {
        backend = TestBackend.start("apache1");
        child = ChildProxy.start(configFor(backend, "  drain-timeout = 10s\n"));
        int port = child.trafficPort();
        // Started is not ready: on a busy machine the first check of a cold JVM can time out, and until apache1 is
        // up the slow request would get a 503 without reaching it.
        await("apache1 up behind the proxy").atMost(Duration.ofSeconds(20))
                .until(() -> Http.get(URI.create("http://127.0.0.1:" + port + "/")).statusCode() == 200);
        int before = backend.trafficRequests();
        backend.delay(1500);
        CompletableFuture<HttpResponse<String>> slow = Http.client().sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        await("the slow request reached the server").atMost(Duration.ofSeconds(10))
                .until(() -> backend.trafficRequests() > before);
        child.sigterm();
        HttpResponse<String> response;
        try {
            response = slow.get();
        } catch (java.util.concurrent.ExecutionException e) {
            child.awaitExit(EXIT);
            throw new AssertionError("the in-flight request failed; child output:\n" + child.output(), e);
        }
        assertEquals(200, response.statusCode());
        assertEquals("apache1\n", response.body());
        assertEquals(ExitCodes.OK, child.awaitExit(EXIT));
        child.awaitOutput("Rebound proxy stopped", EXIT);
    }

    @Test
    void aSupervisedProxyStopsWhenItsStandardInputEnds() throws Exception {
        backend = TestBackend.start("apache1");
        child = ChildProxy.start(configFor(backend, ""), "--supervised");
        child.trafficPort();
        child.process().getOutputStream().close();
        assertEquals(ExitCodes.OK, child.awaitExit(Duration.ofSeconds(5)));
        child.awaitOutput("the supervisor is gone", EXIT);
    }

    @Test
    void aProxySupervisedByAPidButWithoutASocketOnItsStandardInputExitsOne() throws Exception {
        backend = TestBackend.start("apache1");
        child = ChildProxy.start(configFor(backend, ""), "--supervised-by",
                Long.toString(ProcessHandle.current().pid()));
        assertEquals(ExitCodes.FAILURE, child.awaitExit(EXIT));
        child.awaitOutput("standard input is not a listening socket", EXIT);
    }

    @Test
    void supervisedAndSupervisedByTogetherAreABadCommandLine() throws Exception {
        child = ChildProxy.start(dir.resolve("x.conf"), "--supervised", "--supervised-by", "1");
        assertEquals(ExitCodes.USAGE, child.awaitExit(EXIT));
        child.awaitOutput("--supervised and --supervised-by exclude each other", EXIT);
    }

    @Test
    void successorAdminWithoutSupervisedByIsABadCommandLine() throws Exception {
        child = ChildProxy.start(dir.resolve("x.conf"), "--successor-admin", "127.0.0.1:1");
        assertEquals(ExitCodes.USAGE, child.awaitExit(EXIT));
        child.awaitOutput("--successor-admin goes with --supervised-by", EXIT);
    }

    @Test
    void aPortAlreadyInUseExitsOneWithAClearMessage() throws Exception {
        backend = TestBackend.start("apache1");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path file = config("""
                    rebound {
                      bind = "127.0.0.1:%d"
                      admin.bind = "127.0.0.1:0"
                      servers = [ { name = apache1, address = "%s" } ]
                    }
                    """.formatted(taken.getLocalPort(), backend.address()));
            child = ChildProxy.start(file);
            assertEquals(ExitCodes.FAILURE, child.awaitExit(EXIT));
            child.awaitOutput("Cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (rebound.bind)", EXIT);
        }
    }

    @Test
    void aBadCommandLineExits64() throws Exception {
        child = ChildProxy.start(dir.resolve("x.conf"), "--bogus");
        assertEquals(ExitCodes.USAGE, child.awaitExit(EXIT));
    }
}

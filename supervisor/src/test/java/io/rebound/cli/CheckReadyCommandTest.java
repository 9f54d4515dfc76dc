package io.rebound.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.rebound.config.ExitCodes;
import io.rebound.supervisor.FreePort;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rebound check-ready}: against the real proxy run by a real supervisor (with an admin token), and against
 * stand-in admin listeners that answer 503, answer too late, or are not there at all.
 */
class CheckReadyCommandTest {
    @TempDir
    Path dir;

    private SupervisedProxies run;
    private HttpServer standIn;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stopEverythingStarted() {
        release.countDown();
        if (standIn != null) {
            standIn.stop(0);
        }
        if (run != null) {
            run.close();
        }
    }

    @Test
    void checkReadyExits0_whenTheRealProxyIsReady_andSendsTheAdminToken() throws Exception {
        run = new SupervisedProxies(dir);
        Path token = Files.writeString(dir.resolve("proxy.token"), "proxy-secret\n");
        int proxyAdminPort = FreePort.pick();
        Path config = run.writeConfig("rebound.conf", proxyAdminPort, run.supervisorPort(),
                "admin.token-file = \"" + token + "\"");
        Process supervisor = run.launch(config, dir.resolve("supervisor.log"));

        await("check-ready exits 0").atMost(SupervisedProxies.BOUND)
                .until(() -> checkReady(config).exitCode() == ExitCodes.OK || !supervisor.isAlive());
        CommandRun ready = checkReady(config);

        assertEquals(ExitCodes.OK, ready.exitCode(), ready.toString());
        assertTrue(ready.out().contains("ready: 1 of 1 servers up"), ready.toString());

        Path wrongToken = Files.writeString(dir.resolve("wrong.token"), "not-the-secret\n");
        Path wrong = run.writeConfig("wrong.conf", proxyAdminPort, run.supervisorPort(),
                "admin.token-file = \"" + wrongToken + "\"");
        CommandRun refused = checkReady(wrong);
        assertEquals(ExitCodes.FAILURE, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("answered 401"), refused.toString());
    }

    @Test
    void checkReadyExits1WithTheProxysReason_whenReadyAnswers503() throws Exception {
        Path config = standInAnswering(503, "not ready: no server is up (0 of 3)\n");

        CommandRun result = checkReady(config);

        assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
        assertEquals(1, result.err().lines().count(), result.toString());
        assertTrue(result.err().contains("answered 503: not ready: no server is up (0 of 3)"), result.toString());
    }

    @Test
    void checkReadyExits1WithinAboutASecond_whenTheProxyDoesNotAnswer() throws Exception {
        Path config = standInAnswering(-1, "");

        long start = System.nanoTime();
        CommandRun result = checkReady(config);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("no proxy answers at 127.0.0.1:"), result.toString());
        assertTrue(millis < 5_000, "took " + millis + "ms");
    }

    @Test
    void checkReadyExits1_whenNothingListensOnTheAdminAddress() throws Exception {
        Path config = Files.writeString(dir.resolve("rebound.conf"),
                "rebound.admin.bind = \"127.0.0.1:" + FreePort.pick() + "\"\n");

        CommandRun result = checkReady(config);

        assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("rebound check-ready: not ready: no proxy answers at 127.0.0.1:"),
                result.toString());
    }

    @Test
    void checkReadyExits78NamingTheKey_whenTheAdminBindIsInvalid() throws Exception {
        Path config = Files.writeString(dir.resolve("rebound.conf"), "rebound.admin.bind = \"nowhere\"\n");

        CommandRun result = checkReady(config);

        assertEquals(ExitCodes.CONFIG, result.exitCode(), result.toString());
        assertTrue(result.err().contains("rebound.admin.bind"), result.toString());
    }

    /** A stand-in admin listener whose /health/ready answers {@code status} (-1: never, until the test ends). */
    private Path standInAnswering(int status, String body) throws IOException {
        standIn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        standIn.createContext("/health/ready", exchange -> {
            if (status < 0) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        standIn.start();
        return Files.writeString(dir.resolve("rebound.conf"),
                "rebound.admin.bind = \"127.0.0.1:" + standIn.getAddress().getPort() + "\"\n");
    }

    private static CommandRun checkReady(Path config) {
        return CommandRun.of("check-ready", "--config", config.toString());
    }
}

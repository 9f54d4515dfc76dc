package io.rebound.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.config.ExitCodes;
import io.rebound.supervisor.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rebound run} as a real process with the real proxy as its child, both admin listeners asking for a token:
 * the supervisor's readiness and liveness probes, {@code rebound status} and {@code rebound reload} (whose new proxy
 * is probed on its interim admin address) all send it, and a request without it is refused.
 */
class AdminTokenProcessTest {
    private static final Duration BOUND = SupervisedProxies.BOUND;

    @TempDir
    Path dir;

    private SupervisedProxies run;

    @AfterEach
    void killEverythingStarted() {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void withTokenFiles_theProbesStatusAndReloadSendTheTokens_andARequestWithoutOneIsRefused() throws Exception {
        run = new SupervisedProxies(dir);
        int childAdminPort = FreePort.pick();
        Path proxyToken = Files.writeString(dir.resolve("proxy.token"), "proxy-secret\n");
        Path supervisorToken = Files.writeString(dir.resolve("supervisor.token"), "supervisor-secret\n");
        Path config = run.writeConfig("rebound.conf", childAdminPort, run.supervisorPort(),
                "admin.token-file = \"" + proxyToken + "\"\n"
                        + "  supervisor.admin.token-file = \"" + supervisorToken + "\"");
        Path log = dir.resolve("supervisor.log");
        Process supervisor = run.launch(config, log);

        await("rebound status: a running proxy (its readiness probe passed with the token)").atMost(BOUND)
                .untilAsserted(() -> assertTrue(
                        CommandRun.of("status", "--config", config.toString()).exitCode() == ExitCodes.OK
                                || !supervisor.isAlive(),
                        () -> "last seen: " + tail(log)));
        CommandRun status = CommandRun.of("status", "--config", config.toString());
        assertEquals(ExitCodes.OK, status.exitCode(), status + "\n" + tail(log));
        assertTrue(status.out().contains("Active: active (running)"), status.toString());

        assertEquals(401, get(run.supervisorPort(), "/status", null));
        assertEquals(401, get(childAdminPort, "/health/live", null));
        assertEquals(401, get(childAdminPort, "/health/live", "Bearer supervisor-secret"));
        assertEquals(200, get(childAdminPort, "/health/live", "Bearer proxy-secret"));

        CommandRun reload = CommandRun.of("reload", "--config", config.toString());
        assertEquals(ExitCodes.OK, reload.exitCode(), reload + "\n" + tail(log));
        assertTrue(reload.out().contains("serves the new configuration"), reload.toString());

        CommandRun after = CommandRun.of("status", "--config", config.toString());
        assertTrue(after.out().contains("Reloads: 1"), after.toString());
        assertTrue(after.out().contains("Restarts: 0"), after.toString());
        assertFalse(Files.readString(log).contains("Liveness probe of pid"), "no liveness probe failed:\n" + tail(log));
    }

    /** The status of a GET on a new connection, with {@code authorization} when it is not null. */
    private static int get(int port, String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return e.toString();
        }
    }
}

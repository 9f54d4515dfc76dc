package io.rebound.supervisor.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.rebound.config.HostPort;
import io.rebound.supervisor.FreePort;
import io.rebound.supervisor.StandIn;
import io.rebound.supervisor.Supervisor;
import io.rebound.supervisor.SupervisorState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The supervisor's admin listener over a supervisor running a real stand-in child. */
class SupervisorAdminTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newHttpClient();
    private Supervisor supervisor;
    private SupervisorAdmin admin;

    @BeforeEach
    void startSupervisorWithAdmin() {
        int childPort = FreePort.pick();
        supervisor = new Supervisor(StandIn.settings(childPort, ""), StandIn.command(childPort));
        admin = SupervisorAdmin.start(new HostPort("127.0.0.1", FreePort.pick()), supervisor);
        supervisor.start();
        await("a running child").atMost(BOUND)
                .untilAsserted(() -> assertTrue(supervisor.status().state() == SupervisorState.RUNNING,
                        () -> "last seen: " + supervisor.status()));
    }

    @AfterEach
    void stopEverything() throws Exception {
        try {
            supervisor.stop("test over").get(20, TimeUnit.SECONDS);
            admin.close();
        } finally {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void statusIsJsonWithStatePidSinceRestartsAndLastExit() throws Exception {
        long pid = supervisor.status().childPid().orElseThrow();

        HttpResponse<String> response = get("/status");
        Config status = json(response.body());

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("RUNNING", status.getString("state"));
        assertEquals("active (running)", status.getString("activeState"));
        assertEquals(pid, status.getLong("childPid"));
        assertEquals(Instant.ofEpochMilli(status.getLong("since")).toString(), status.getString("sinceIso"));
        assertEquals(0, status.getLong("restarts"));
        assertTrue(status.getIsNull("lastExit"));
        assertTrue(status.getIsNull("nextRestartDelayMs"));
        assertEquals(false, status.getBoolean("crashLooping"));
        assertEquals(ProcessHandle.current().pid(), status.getLong("supervisorPid"));
    }

    @Test
    void statusAndMetricsCountARestartBySignal_afterTheChildIsKilledWithSigkill() throws Exception {
        long first = supervisor.status().childPid().orElseThrow();
        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        await("a new running child").atMost(BOUND)
                .untilAsserted(() -> assertTrue(supervisor.status().state() == SupervisorState.RUNNING
                        && supervisor.status().childPid().orElse(first) != first,
                        () -> "last seen: " + supervisor.status()));

        Config status = json(get("/status").body());
        String metrics = get("/metrics").body();

        assertEquals(1, status.getLong("restarts"));
        assertEquals(1, status.getLong("restartsByReason.signal"));
        assertEquals(first, status.getLong("lastExit.pid"));
        assertEquals(137, status.getLong("lastExit.exitValue"));
        assertEquals(9, status.getLong("lastExit.signal"));
        assertEquals("signal 9 (KILL)", status.getString("lastExit.description"));

        assertEquals(1.0, sample(metrics, "rebound_supervisor_restarts_total{reason=\"signal\"}"));
        assertEquals(0.0, sample(metrics, "rebound_supervisor_restarts_total{reason=\"exit-code\"}"));
        assertEquals(0.0, sample(metrics, "rebound_supervisor_restarts_total{reason=\"liveness\"}"));
        assertEquals(0.0, sample(metrics, "rebound_supervisor_restarts_total{reason=\"not-ready\"}"));
        assertEquals(1.0, sample(metrics, "rebound_supervisor_child_up"));
        assertEquals(137.0, sample(metrics, "rebound_supervisor_last_exit_code"));
        assertEquals(0.0, sample(metrics, "rebound_supervisor_crash_looping"));
        assertEquals(0.0, sample(metrics, "rebound_supervisor_reloads_total"));
        assertEquals(0.0, sample(metrics, "rebound_supervisor_standby_up"));
        double started = sample(metrics, "rebound_supervisor_child_start_time_seconds");
        assertEquals(supervisor.status().childStartedEpochMillis().orElseThrow() / 1000.0, started, 0.001);
        assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM metrics as well");
    }

    @Test
    void healthLiveAnswers200() throws Exception {
        HttpResponse<String> response = get("/health/live");

        assertEquals(200, response.statusCode());
        assertEquals("live", response.body().strip());
    }

    @Test
    void anUnknownPathIs404() throws Exception {
        assertEquals(404, get("/nothing-here").statusCode());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + admin.address().getPort() + path);
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Config json(String body) {
        return ConfigFactory.parseString(body, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
    }

    /** The value of the sample line {@code name} (with its labels) in Prometheus text. */
    private static double sample(String metrics, String name) {
        Matcher line = Pattern.compile("^" + Pattern.quote(name) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        assertTrue(line.find(), "a sample " + name + " in:\n" + metrics);
        return Double.parseDouble(line.group(1));
    }
}

package io.rebound.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime server control through {@code rebound server} against {@code rebound run} as a real process with the real
 * proxy as its child, in front of two real backends: drain with {@code --wait}, and a server in maintenance that stays
 * so, unchecked, across a {@code kill -9} of the proxy, a reload and a restart of the supervisor.
 */
class RuntimeStateProcessTest {
    private static final Duration BOUND = SupervisedProxies.BOUND;
    /** How long apache2 holds a request for /slow: long enough to drain around it. */
    private static final long SLOW_MILLIS = 3_000;

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int childAdminPort = FreePort.pick();
    private SupervisedProxies run;
    private CountingBackend apache1;
    private CountingBackend apache2;
    private Path config;
    private Path stateFile;
    private Path log;
    private Process supervisor;

    @BeforeEach
    void startBackendsAndSupervisor() throws Exception {
        run = new SupervisedProxies(dir);
        apache1 = new CountingBackend("apache1", 0);
        apache2 = new CountingBackend("apache2", SLOW_MILLIS);
        stateFile = dir.resolve("state/servers.json");
        log = dir.resolve("supervisor.log");
        config = writeConfig(List.of(apache1, apache2));
        supervisor = run.startSupervisor(config, log);
        run.awaitRunningChild(-1);
        await("both servers UP").atMost(BOUND).untilAsserted(() -> assertEquals(List.of("UP", "UP"),
                statuses(), () -> "log:\n" + supervisorLog()));
    }

    @AfterEach
    void killEverythingStarted() {
        run.close();
        apache1.close();
        apache2.close();
    }

    @Test
    void drainWithWait_returnsOnceTheInFlightRequestFinished_andNoNewRequestReachesTheServer() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        await("a request in flight on apache2").atMost(BOUND).until(() -> {
            slow.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + run.trafficPort()
                    + "/slow")).timeout(BOUND).build(), HttpResponse.BodyHandlers.ofString()));
            return apache2.inFlight() > 0;
        });
        int traffic = apache2.traffic();

        CommandRun drain = CommandRun.of("server", "drain", "apache2", "--wait", "30s", "--config", config.toString());

        assertEquals(ExitCodes.OK, drain.exitCode(), drain + "\n" + supervisorLog());
        assertTrue(drain.out().contains("apache2: ready -> drain (1 proxies told)"), drain.toString());
        assertTrue(drain.out().contains("apache2: 1 requests in flight, waiting"), drain.toString());
        assertTrue(drain.out().contains("apache2: no request in flight after"), drain.toString());
        assertEquals(0, apache2.inFlight(), "--wait returned while apache2 still answered");
        for (CompletableFuture<HttpResponse<String>> answer : slow) {
            assertEquals(200, answer.get(BOUND.toSeconds(), TimeUnit.SECONDS).statusCode());
        }
        int checks = apache2.checks();
        for (int i = 0; i < 6; i++) {
            assertEquals("This is apache1", get("/").strip());
        }
        assertEquals(traffic, apache2.traffic(), "a new request reached the drained apache2");
        await("apache2's checks go on").atMost(BOUND).until(() -> apache2.checks() > checks);
        assertEquals(List.of("UP", "DRAIN"), statuses());
        assertTrue(supervisorLog().contains("Server apache2: ready -> drain (POST /servers/apache2/state from 127.0.0.1:"),
                supervisorLog());
        assertTrue(supervisorLog().contains("rebound server drain (user "), supervisorLog());
    }

    @Test
    void maint_staysAcrossKill9OfTheProxy_aReload_andARestartOfTheSupervisor_andTheServerIsNeverCheckedMeanwhile()
            throws Exception {
        assertEquals(ExitCodes.OK, CommandRun.of("server", "maint", "apache2", "--config", config.toString())
                .exitCode());
        awaitChecksOfApache1(2); // a check of apache2 running at the change has ended
        int checks = apache2.checks();

        long first = run.admin().runningChildPid().orElseThrow();
        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        long second = run.awaitRunningChild(first);
        assertMaintained(checks);

        assertEquals(ExitCodes.OK, CommandRun.of("reload", "--config", config.toString()).exitCode());
        long third = run.awaitRunningChild(second);
        assertMaintained(checks);
        assertTrue(supervisorLog().contains("; servers not ready: apache2 maint"), supervisorLog());

        supervisor.toHandle().destroy();
        assertTrue(supervisor.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS), "the supervisor stops on SIGTERM");
        supervisor = run.startSupervisor(config, log);
        assertNotEquals(third, run.awaitRunningChild(third));
        assertMaintained(checks);

        assertEquals(ExitCodes.OK, CommandRun.of("server", "ready", "apache2", "--config", config.toString())
                .exitCode());
        await("apache2 UP again after a passing check").atMost(BOUND)
                .untilAsserted(() -> assertEquals(List.of("UP", "UP"), statuses()));
        assertTrue(apache2.checks() > checks);
    }

    @Test
    void aReloadThatRemovesAServer_dropsItsState() throws Exception {
        assertEquals(ExitCodes.OK, CommandRun.of("server", "drain", "apache2", "--config", config.toString())
                .exitCode());
        assertTrue(Files.readString(stateFile).contains("\"apache2\""));
        writeConfig(List.of(apache1));

        assertEquals(ExitCodes.OK, CommandRun.of("reload", "--config", config.toString()).exitCode());

        await("apache2's state dropped from the file").atMost(BOUND)
                .until(() -> !Files.readString(stateFile).contains("apache2"));
        assertTrue(supervisorLog().contains("Runtime state of apache2 dropped at reload"), supervisorLog());
        CommandRun gone = CommandRun.of("server", "ready", "apache2", "--config", config.toString());
        assertEquals(ExitCodes.NO_SUCH_NAME, gone.exitCode(), gone.toString());
    }

    @Test
    void aWeightSetWithTheCommand_changesTheDistribution() throws Exception {
        CommandRun weight = CommandRun.of("server", "weight", "apache1", "3", "--config", config.toString());
        int before1 = apache1.traffic();
        int before2 = apache2.traffic();

        for (int i = 0; i < 40; i++) {
            get("/");
        }

        assertEquals(ExitCodes.OK, weight.exitCode(), weight.toString());
        assertEquals(List.of(30, 10), List.of(apache1.traffic() - before1, apache2.traffic() - before2));
        CommandRun servers = CommandRun.of("servers", "--config", config.toString());
        assertTrue(servers.out().contains("3 (configured 1)"), servers.toString());
    }

    @Test
    void aWarmStandby_isToldToo_andTheProxiesAfterAKill9StartWithTheServerInMaintenance() throws Exception {
        supervisor.toHandle().destroy();
        assertTrue(supervisor.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS), "the supervisor stops on SIGTERM");
        config = writeConfig(List.of(apache1, apache2), "supervisor.standby = 1\n");
        supervisor = run.startSupervisor(config, log);
        long main = run.awaitRunningChild(-1);
        await("a ready standby").atMost(BOUND).until(() -> run.admin().readyStandbyPid().isPresent());

        CommandRun maint = CommandRun.of("server", "maint", "apache2", "--config", config.toString());
        assertTrue(maint.out().contains("(2 proxies told)"), maint + "\n" + supervisorLog());
        awaitChecksOfApache1(4); // both proxies check apache1; a check of apache2 running at the change has ended
        int checks = apache2.checks();

        ProcessHandle.of(main).orElseThrow().destroyForcibly();
        run.awaitRunningChild(main);
        await("a new standby").atMost(BOUND).until(() -> run.admin().readyStandbyPid()
                .filter(standby -> !standby.equals(run.admin().runningChildPid().orElse(-1L))).isPresent());
        assertMaintained(checks);
    }

    private void assertMaintained(int checks) throws Exception {
        await("apache2 in MAINT in the new proxy").atMost(BOUND)
                .untilAsserted(() -> assertEquals(List.of("UP", "MAINT"), statuses()));
        for (int i = 0; i < 4; i++) {
            assertEquals("This is apache1", get("/").strip());
        }
        awaitChecksOfApache1(3);
        assertEquals(checks, apache2.checks(), "apache2 was checked in maintenance");
    }

    private void awaitChecksOfApache1(int more) {
        int before = apache1.checks();
        await(more + " more checks of apache1").atMost(BOUND).until(() -> apache1.checks() >= before + more);
    }

    private Path writeConfig(List<CountingBackend> backends) throws IOException {
        return writeConfig(backends, "");
    }

    /** Smooth weighted round-robin, which alternates like round-robin while the weights are equal. */
    private Path writeConfig(List<CountingBackend> backends, String extra) throws IOException {
        StringBuilder servers = new StringBuilder("servers = [");
        for (CountingBackend backend : backends) {
            servers.append("\n  { name = ").append(backend.name()).append(", address = \"").append(backend.address())
                    .append("\" }");
        }
        return run.writeConfig("rebound.conf", childAdminPort, run.supervisorPort(), servers + "\n]\n"
                + "balance = weighted-round-robin\n"
                + "check { interval = 300ms, timeout = 250ms }\n"
                + "supervisor.state-file = \"" + stateFile + "\"\n" + extra);
    }

    /** The status column of the supervisor's /servers, one entry per server. */
    private List<String> statuses() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + run.supervisorPort()
                + "/servers")).timeout(Duration.ofSeconds(5)).build();
        Config servers = ConfigFactory.parseString(client.send(request, HttpResponse.BodyHandlers.ofString()).body(),
                ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
        return servers.getConfigList("servers").stream()
                .map(server -> server.getIsNull("status") ? "none" : server.getString("status")).toList();
    }

    private String get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + run.trafficPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private String supervisorLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}

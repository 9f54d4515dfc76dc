package io.rebound.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rebound reload} and SIGHUP against {@code rebound run} as a real process with the real proxy as its child:
 * a new proxy with the file as it is now starts on the same listening socket and the old one drains, so no client is
 * refused or cut; a file that is invalid, or that changes what the supervisor holds, is refused and the running
 * proxy keeps serving.
 */
class ReloadProcessTest {
    private static final Duration BOUND = SupervisedProxies.BOUND;

    @TempDir
    Path dir;

    private SupervisedProxies run;
    private final int childAdminPort = FreePort.pick();
    private Path config;
    private Path log;
    private Process supervisor;

    @BeforeEach
    void startSupervisor() throws Exception {
        run = new SupervisedProxies(dir);
        log = dir.resolve("supervisor.log");
        config = run.writeConfig("rebound.conf", childAdminPort, run.supervisorPort());
        supervisor = run.launch(config, log);
        await("the supervisor's admin").atMost(BOUND)
                .untilAsserted(() -> assertTrue(run.admin().status().isPresent() || !supervisor.isAlive(),
                        () -> "alive: " + supervisor.isAlive()));
    }

    @AfterEach
    void killEverythingStarted() {
        run.close();
    }

    @Test
    void reload_underLoad_replacesTheProxyWithOneOfTheNewFile_withoutARefusedOrFailedRequest() throws Exception {
        long before = run.awaitRunningChild(-1);
        Probe probe = new Probe(run.trafficPort());
        CompletableFuture<Void> probing = CompletableFuture.runAsync(probe::run);
        try {
            await("answers through the first proxy").atMost(BOUND)
                    .untilAsserted(() -> assertTrue(probe.answered() >= 5, () -> "last seen: " + probe.summary()));
            run.writeConfig("rebound.conf", childAdminPort, run.supervisorPort(),
                    "servers = [ { name = apache1, address = \"127.0.0.1:" + run.backendPort() + "\" },"
                            + " { name = reloaded, address = \"127.0.0.1:" + run.backendPort() + "\" } ]");

            CommandRun reload = CommandRun.of("reload", "--config", config.toString());

            assertEquals(ExitCodes.OK, reload.exitCode(), reload + "\n" + Files.readString(log));
            assertTrue(reload.out().contains("serves the new configuration"), reload.toString());
            long after = run.admin().runningChildPid().orElseThrow();
            assertNotEquals(before, after);
            ProcessHandle previous = ProcessHandle.of(before).orElse(null);
            await("the previous proxy's exit after its drain").atMost(BOUND)
                    .untilAsserted(() -> assertTrue(previous == null || !previous.isAlive(),
                            () -> "last seen: " + this.supervisorLog()));
            await("the new proxy on rebound.admin.bind").atMost(BOUND)
                    .untilAsserted(() -> assertTrue(servers().contains("\"reloaded\""),
                            () -> "last seen: " + this.servers()));
            long settled = System.nanoTime();
            await("answers after the reload").atMost(BOUND)
                    .untilAsserted(() -> assertTrue(probe.answeredAfter(settled) >= 5,
                            () -> "last seen: " + probe.summary()));
            probe.stop();
            probing.get(BOUND.toSeconds(), TimeUnit.SECONDS);

            assertEquals(0, probe.refused(), probe.summary());
            assertEquals(0, probe.failed(), probe.summary());
            assertTrue(Files.readString(log).contains("Rebound proxy stopped"), "the old proxy drained and stopped");
            CommandRun status = CommandRun.of("status", "--config", config.toString());
            assertTrue(status.out().contains("Reloads: 1"), status.toString());
            assertTrue(status.out().contains("Restarts: 0"), status.toString());
            assertTrue(run.admin().events().contains("\"kind\": \"reload\", \"outcome\": \"reloaded\", "
                    + "\"detail\": \"pid " + after + " serves the new configuration"), run.admin().events());
        } finally {
            probe.stop();
        }
    }

    @Test
    void reload_ofAnInvalidFile_exits78NamingTheKeyAndTheFile_andTheRunningProxyKeepsServing() throws Exception {
        long before = run.awaitRunningChild(-1);
        run.writeConfig("rebound.conf", childAdminPort, run.supervisorPort(), "check { interval = 1s, timeout = 5s }");

        CommandRun reload = CommandRun.of("reload", "--config", config.toString());

        assertEquals(ExitCodes.CONFIG, reload.exitCode(), reload.toString());
        assertTrue(reload.err().contains("rebound.check.timeout"), reload.toString());
        assertTrue(reload.err().contains(config.toString()), reload.toString());
        assertTrue(reload.err().contains("keeps serving"), reload.toString());
        assertTrue(run.admin().events().contains("\"kind\": \"reload\", \"outcome\": \"invalid-config\""),
                run.admin().events());
        assertEquals(before, run.admin().runningChildPid().orElseThrow());
        assertEquals(Probe.Outcome.ANSWERED, Probe.once(run.trafficPort()));
        assertTrue(supervisor.isAlive());
    }

    @Test
    void reload_thatChangesTheListeningAddress_isRefused_andTheRunningProxyKeepsServing() throws Exception {
        long before = run.awaitRunningChild(-1);
        run.writeConfig("rebound.conf", childAdminPort, run.supervisorPort(),
                "bind = \"127.0.0.1:" + FreePort.pick() + "\"");

        CommandRun reload = CommandRun.of("reload", "--config", config.toString());

        assertEquals(ExitCodes.FAILURE, reload.exitCode(), reload.toString());
        assertTrue(reload.err().contains("a reload cannot change rebound.bind"), reload.toString());
        assertEquals(before, run.admin().runningChildPid().orElseThrow());
        assertEquals(Probe.Outcome.ANSWERED, Probe.once(run.trafficPort()));
    }

    @Test
    void sighupToTheSupervisor_reloads() throws Exception {
        long before = run.awaitRunningChild(-1);

        new ProcessBuilder("kill", "-HUP", Long.toString(supervisor.pid())).start().waitFor(10, TimeUnit.SECONDS);

        await("one reload").atMost(BOUND)
                .untilAsserted(() -> assertTrue(run.admin().status()
                        .filter(status -> status.getLong("reloads") == 1).isPresent(),
                        () -> "last seen: " + run.admin().status()));
        long after = run.awaitRunningChild(-1);
        assertNotEquals(before, after);
        assertTrue(Files.readString(log).contains("SIGHUP received"), Files.readString(log));
        assertEquals(Probe.Outcome.ANSWERED, Probe.once(run.trafficPort()));
    }

    @Test
    void sigtermRightAfterAReload_stopsTheNewAndTheDrainingProxy_andExits0() throws Exception {
        long before = run.awaitRunningChild(-1);
        assertEquals(ExitCodes.OK, CommandRun.of("reload", "--config", config.toString()).exitCode());
        long after = run.admin().runningChildPid().orElseThrow();

        supervisor.toHandle().destroy();

        assertTrue(supervisor.waitFor(20, TimeUnit.SECONDS), "the supervisor exits");
        assertEquals(ExitCodes.OK, supervisor.exitValue());
        for (long pid : new long[] {before, after}) {
            assertTrue(ProcessHandle.of(pid).map(handle -> !handle.isAlive()).orElse(true), "pid " + pid + " ended");
        }
    }

    private String supervisorLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private String servers() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + childAdminPort + "/servers"))
                    .timeout(Duration.ofSeconds(5)).build();
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }
}

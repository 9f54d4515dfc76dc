package io.rebound.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.rebound.config.ExitCodes;
import io.rebound.supervisor.FreePort;
import java.io.IOException;
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
 * {@code rebound run} as a real process with the real proxy as its child, both on this test's class path: the
 * supervisor binds {@code rebound.bind} and its children serve that socket (share-listener, the default).
 */
class SharedListenerProcessTest {
    private static final Duration BOUND = SupervisedProxies.BOUND;

    @TempDir
    Path dir;

    private SupervisedProxies run;

    @BeforeEach
    void startBackend() throws IOException {
        run = new SupervisedProxies(dir);
    }

    @AfterEach
    void killEverythingStarted() {
        run.close();
    }

    @Test
    void aClientConnectingWhileTheProxyIsKilled_getsAnAnswer_notARefusal() throws Exception {
        run.startSupervisor(dir.resolve("supervisor.log"));
        long firstChild = run.awaitRunningChild(-1);
        Probe probe = new Probe(run.trafficPort());
        CompletableFuture<Void> probing = CompletableFuture.runAsync(probe::run);
        try {
            await("answers through the first proxy").atMost(BOUND)
                    .untilAsserted(() -> assertTrue(probe.answered() >= 5, () -> "last seen: " + probe.summary()));

            long killedAt = System.nanoTime();
            ProcessHandle killed = ProcessHandle.of(firstChild).orElseThrow();
            killed.destroyForcibly();
            await("the killed proxy gone").atMost(BOUND).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(() -> !killed.isAlive());
            long goneAt = System.nanoTime();
            long secondChild = run.awaitRunningChild(firstChild);
            long replacedAt = System.nanoTime();
            await("answers through the second proxy").atMost(BOUND)
                    .untilAsserted(() -> assertTrue(probe.answeredAfter(replacedAt) >= 5,
                            () -> "last seen: " + probe.summary()));
            probe.stop();
            probing.get(BOUND.toSeconds(), TimeUnit.SECONDS);

            assertTrue(secondChild != firstChild);
            assertEquals(0, probe.refused(), probe.summary());
            assertTrue(probe.answeredAcross(goneAt, replacedAt) >= 1,
                    "a probe waited while no proxy ran, and was answered: " + probe.summary());
            assertEquals(0, probe.failedBetween(killedAt + Duration.ofMillis(100).toNanos(), Long.MAX_VALUE),
                    "every probe that connected after the killed proxy was gone was answered: " + probe.summary());
            // The one request that may have been in flight inside the killed process is the only one allowed to fail.
            assertTrue(probe.failed() <= 1, probe.summary());
        } finally {
            probe.stop();
        }
    }

    @Test
    void theChildExits_whenTheSupervisorIsKilledWithSigkill_andThenThePortIsClosed() throws Exception {
        Process supervisor = run.startSupervisor(dir.resolve("supervisor.log"));
        ProcessHandle child = ProcessHandle.of(run.awaitRunningChild(-1)).orElseThrow();

        supervisor.destroyForcibly();

        assertTrue(supervisor.waitFor(10, TimeUnit.SECONDS));
        await("the orphaned child's exit (its parent is no longer the supervisor)").atMost(BOUND)
                .untilAsserted(() -> assertTrue(!child.isAlive(), () -> "last seen: " + child.info()));
        await("connections refused once neither process holds the socket").atMost(BOUND)
                .untilAsserted(() -> assertTrue(Probe.once(run.trafficPort()) == Probe.Outcome.REFUSED,
                        () -> "last seen: " + "port " + run.trafficPort()));
    }

    @Test
    void sigtermToTheSupervisor_drainsTheChild_whoseLastLogLinesStillReachTheSupervisor() throws Exception {
        Path log = dir.resolve("supervisor.log");
        Process supervisor = run.startSupervisor(log);
        run.awaitRunningChild(-1);

        supervisor.toHandle().destroy();

        assertTrue(supervisor.waitFor(20, TimeUnit.SECONDS), "the supervisor exits");
        assertEquals(ExitCodes.OK, supervisor.exitValue());
        String output = Files.readString(log);
        assertTrue(output.contains("Rebound proxy stopped"), output);
        assertTrue(output.contains("ended with exit code 0"), output);
    }

    @Test
    void aSecondSupervisorForTheSameTrafficAddress_exits1_namingRebound_bind() throws Exception {
        run.startSupervisor(dir.resolve("supervisor.log"));
        run.awaitRunningChild(-1);
        Path secondLog = dir.resolve("second.log");

        Process second = run.launch(run.writeConfig("second.conf", FreePort.pick(), FreePort.pick()), secondLog);

        assertTrue(second.waitFor(20, TimeUnit.SECONDS), "the second supervisor gives up");
        assertEquals(ExitCodes.FAILURE, second.exitValue());
        String output = Files.readString(secondLog);
        assertTrue(output.contains("Cannot listen on 127.0.0.1:" + run.trafficPort() + " (rebound.bind)"), output);
    }

    @Test
    void aSupervisorStartedWithAListeningSocketOnStandardInput_servesThatSocketInsteadOfBinding() throws Exception {
        int activatedPort = FreePort.pick();
        Path log = dir.resolve("supervisor.log");
        List<String> command = new ArrayList<>(List.of(SupervisedProxies.java(), SupervisedProxies.ADD_OPENS,
                SupervisedProxies.SUN_NIO_CH, "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), SocketActivatingLauncher.class.getName(),
                Integer.toString(activatedPort)));
        // The supervisor itself runs without --add-opens: a socket it is given needs no JDK internals.
        Path config = run.writeConfig("rebound.conf", FreePort.pick(), run.supervisorPort());
        command.addAll(SupervisedProxies.supervisorCommand(config, List.of()));
        run.start(command, log);

        run.awaitRunningChild(-1);

        assertEquals(Probe.Outcome.ANSWERED, Probe.once(activatedPort), Files.readString(log));
        assertEquals(Probe.Outcome.REFUSED, Probe.once(run.trafficPort()), "rebound.bind is not bound");
        assertTrue(Files.readString(log).contains("on its standard input (socket activation)"), Files.readString(log));
    }

    @Test
    void theSharedListener_isShownByStatusMetricsAndReboundStatus() throws Exception {
        Path config = run.writeConfig("rebound.conf", FreePort.pick(), run.supervisorPort());
        run.launch(config, dir.resolve("supervisor.log"));
        run.awaitRunningChild(-1);

        Config status = run.admin().status().orElseThrow();
        assertTrue(status.getBoolean("listener.shared"), status.toString());
        assertEquals("supervisor-bound", status.getString("listener.cause"));
        assertTrue(run.admin().metrics().contains("rebound_supervisor_listener_shared{cause=\"supervisor-bound\"} 1.0"),
                run.admin().metrics());
        CommandRun shown = CommandRun.of("status", "--config", config.toString());
        assertTrue(shown.out().contains("   Listener: shared (socket "), shown.toString());
    }

    @Test
    void withoutAddOpens_theListenerIsNotShared_andStatusMetricsAndReboundStatusSaySoAndWhy() throws Exception {
        Path config = run.writeConfig("rebound.conf", FreePort.pick(), run.supervisorPort());
        Path log = dir.resolve("supervisor.log");
        run.start(SupervisedProxies.supervisorCommand(config, List.of()), log);
        run.awaitRunningChild(-1);

        Config status = run.admin().status().orElseThrow();
        assertFalse(status.getBoolean("listener.shared"), status.toString());
        assertEquals("jvm-refused", status.getString("listener.cause"));
        assertTrue(status.getString("listener.detail").contains("--add-opens java.base/sun.nio.ch=ALL-UNNAMED"),
                status.toString());
        assertTrue(run.admin().metrics().contains("rebound_supervisor_listener_shared{cause=\"jvm-refused\"} 0.0"),
                run.admin().metrics());
        CommandRun shown = CommandRun.of("status", "--config", config.toString());
        assertTrue(shown.out().contains("   Listener: not shared (this JVM does not let the supervisor pass"),
                shown.toString());
        assertEquals(Probe.Outcome.ANSWERED, Probe.once(run.trafficPort()), "each proxy binds rebound.bind itself");
    }
}

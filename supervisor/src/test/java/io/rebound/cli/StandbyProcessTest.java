package io.rebound.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.config.ExitCodes;
import io.rebound.supervisor.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rebound.supervisor.standby = 1} with {@code rebound run} as a real process and the real proxy as its
 * children: two proxies serve the supervisor's socket, so killing either one leaves the other accepting.
 */
class StandbyProcessTest {
    private static final Duration BOUND = SupervisedProxies.BOUND;

    @TempDir
    Path dir;

    private SupervisedProxies run;
    private AdminClient admin;
    private Path config;

    @BeforeEach
    void startSupervisorWithAStandby() throws Exception {
        run = new SupervisedProxies(dir);
        admin = run.admin();
        config = run.writeConfig("rebound.conf", FreePort.pick(), run.supervisorPort(), "supervisor.standby = 1");
        run.startSupervisor(config, dir.resolve("supervisor.log"));
    }

    @AfterEach
    void killEverythingStarted() {
        run.close();
    }

    @Test
    void killingTheMainProxy_refusesNobody_andTheStandbyServesOnAsTheMainOne() throws Exception {
        long main = run.awaitRunningChild(-1);
        long standby = awaitReadyStandbyOtherThan(-1);
        AtomicLong killedAt = new AtomicLong();
        AtomicLong newStandby = new AtomicLong();

        Probe probe = Probe.across(run.trafficPort(), BOUND, () -> {
            killedAt.set(System.nanoTime());
            ProcessHandle.of(main).orElseThrow().destroyForcibly();
            await("the standby as the main proxy").atMost(BOUND)
                    .untilAsserted(() -> assertTrue(admin.runningChildPid()
                            .filter(pid -> pid == standby).isPresent(),
                            () -> "last seen: " + admin.status()));
            newStandby.set(awaitReadyStandbyOtherThan(standby));
        });

        assertNotEquals(standby, newStandby.get());
        assertEquals(0, probe.refused(), probe.summary());
        // Only a request in flight inside the killed process may fail; none that started after it was gone.
        assertTrue(probe.failed() <= 1, probe.summary());
        assertEquals(0, probe.failedBetween(killedAt.get() + Duration.ofMillis(100).toNanos(), Long.MAX_VALUE),
                probe.summary());
        assertEquals(1, admin.status().orElseThrow().getLong("restarts"));
        await("rebound_supervisor_standby_up 1 for the new standby").atMost(BOUND)
                .untilAsserted(() -> assertTrue(admin.metrics().contains("rebound_supervisor_standby_up 1.0"),
                        () -> "last seen: " + admin.metrics()));
        System.out.println("standby drill, main killed: " + probe.summary() + "; slowest answer "
                + probe.slowestAnswerMillis() + " ms");
    }

    @Test
    void killingTheStandby_refusesNobody_andANewStandbyStarts() throws Exception {
        long main = run.awaitRunningChild(-1);
        long standby = awaitReadyStandbyOtherThan(-1);
        AtomicLong newStandby = new AtomicLong();

        Probe probe = Probe.across(run.trafficPort(), BOUND, () -> {
            ProcessHandle.of(standby).orElseThrow().destroyForcibly();
            newStandby.set(awaitReadyStandbyOtherThan(standby));
        });

        assertNotEquals(standby, newStandby.get());
        assertEquals(main, admin.runningChildPid().orElseThrow(), "the main proxy is untouched");
        assertEquals(0, probe.refused(), probe.summary());
        assertTrue(probe.failed() <= 1, probe.summary());
    }

    @Test
    void aReload_replacesTheMainProxyAndTheStandby() throws Exception {
        long main = run.awaitRunningChild(-1);
        long standby = awaitReadyStandbyOtherThan(-1);

        CommandRun reload = CommandRun.of("reload", "--config", config.toString());

        assertEquals(ExitCodes.OK, reload.exitCode(), reload.toString());
        long newMain = admin.runningChildPid().orElseThrow();
        long newStandby = awaitReadyStandbyOtherThan(standby);
        assertNotEquals(main, newMain);
        assertNotEquals(main, newStandby);
        assertNotEquals(newMain, newStandby);
        await("the old main proxy and the old standby gone after their drain").atMost(BOUND)
                .untilAsserted(() -> assertTrue(!alive(main)
                        && !alive(standby),
                        () -> "last seen: " + admin.status()));
        assertEquals(Probe.Outcome.ANSWERED, Probe.once(run.trafficPort()));
    }

    private long awaitReadyStandbyOtherThan(long previous) {
        await("a ready standby other than pid " + previous).atMost(BOUND)
                .untilAsserted(() -> assertTrue(admin.readyStandbyPid().filter(pid -> pid != previous).isPresent(),
                        () -> "last seen: " + admin.status()));
        return admin.readyStandbyPid().orElseThrow();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}

package io.rebound.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.it.KeepalivedPair.Node;
import io.rebound.it.KeepalivedPair.Vrrp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Beyond one machine: two Rebound containers running the distribution's keepalived.conf (VRRPv3, advert_int 0.1,
 * nopreempt, `rebound check-ready` as vrrp_script, `rebound vrrp-notify` as notify) share a virtual address in front of
 * the three Apache containers; a probe on this machine sends a request every 10 ms on a new connection to that
 * address. Figures are printed (target/failsafe-reports/io.rebound.it.KeepalivedPairIT-output.txt); the asserted
 * bounds are generous on purpose.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeepalivedPairIT {
    /** Between two looks: short against the drills' timings, long enough not to load the machine. */
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final Duration FAILOVER = Duration.ofSeconds(30);
    private static final int KILLS = 5;

    private static PairDrill drill;
    private static KeepalivedPair pair;
    private static VipProbe probe;

    @BeforeAll
    static void startApachesAndThePair() throws Exception {
        drill = PairDrill.start("KeepalivedPairIT", UnaryOperator.identity(), started -> started.awaitSettled(SETTLE));
        pair = drill.pair();
        probe = drill.probe();
    }

    @AfterAll
    static void removeEverything() {
        if (drill != null) {
            drill.close();
        }
    }

    @Test
    @Order(1)
    void dockerKillOfTheMaster_fiveTimes_theBackupServesTheAddress_andTheOldMasterComesBackWithoutTakingIt() {
        List<VipProbe.Window> failovers = new ArrayList<>();
        for (int i = 1; i <= KILLS; i++) {
            Node master = pair.awaitSettled(SETTLE);
            Node backup = pair.other(master);
            long killedAt = System.nanoTime();
            DockerCli.ok("kill", master.name());
            await(backup.name() + " holding " + pair.vip()).atMost(FAILOVER)
                    .pollInterval(POLL).ignoreExceptionsInstanceOf(Exception.class)
                    .until(() -> pair.holdsVip(backup));
            probe.awaitAnswers(System.nanoTime(), 20, FAILOVER);
            VipProbe.Window failover = probe.window(killedAt);
            failovers.add(failover);
            System.out.println("pair kill drill " + i + ": " + master.name() + " killed, " + backup.name()
                    + " serves: " + failover + (failover.failures().isEmpty() ? "" : "; first failures "
                    + failover.failures()));

            long backAt = System.nanoTime();
            pair.startAgain(master);
            Node settled = pair.awaitSettled(SETTLE);
            probe.awaitAnswers(System.nanoTime(), 10, FAILOVER);
            VipProbe.Window comeback = probe.window(backAt);
            System.out.println("pair kill drill " + i + ": " + master.name() + " back as BACKUP (nopreempt): "
                    + comeback);
            assertEquals(backup, settled, "with nopreempt the old MASTER comes back as BACKUP");
            assertEquals(0, comeback.failed(), "requests failed while the old MASTER came back: " + comeback);
        }
        System.out.println("pair kill drills: " + PairDrill.summary(failovers) + " (targets: <= 1000 ms, <= 30)");
        for (VipProbe.Window failover : failovers) {
            assertTrue(failover.outage().compareTo(Duration.ofSeconds(5)) < 0, "outage " + failover);
            assertTrue(failover.failed() <= 200, "failed requests " + failover);
        }
    }

    @Test
    @Order(2)
    void dockerStopOfTheMaster_handsTheAddressOverAtOnce_andTheContainerExits0() {
        Node master = pair.awaitSettled(SETTLE);
        Node backup = pair.other(master);
        long stoppedAt = System.nanoTime();
        DockerCli.ok("stop", "-t", "30", master.name());
        long stopTook = System.nanoTime() - stoppedAt;
        await(backup.name() + " holding " + pair.vip()).atMost(FAILOVER)
                .pollInterval(POLL).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> pair.holdsVip(backup));
        probe.awaitAnswers(System.nanoTime(), 20, FAILOVER);
        VipProbe.Window handover = probe.window(stoppedAt);
        int exit = pair.exitCode(master);
        System.out.println("pair stop drill: " + master.name() + " stopped in " + stopTook / 1_000_000 + " ms (exit "
                + exit + "), " + backup.name() + " serves: " + handover);

        pair.startAgain(master);
        assertEquals(backup, pair.awaitSettled(SETTLE));
        assertEquals(0, exit, "docker stop drains and exits 0");
        assertTrue(handover.outage().compareTo(Duration.ofSeconds(5)) < 0, "outage " + handover);
        assertTrue(handover.failed() <= 50, "failed requests " + handover);
    }

    @Test
    @Order(3)
    void aMasterWhoseProxyStopsAnsweringReady_givesTheAddressToTheBackup() {
        Node master = pair.awaitSettled(SETTLE);
        Node backup = pair.other(master);
        long proxy = pair.proxyPid(master).orElseThrow();
        long frozenAt = System.nanoTime();
        DockerCli.ok("exec", master.name(), "kill", "-STOP", Long.toString(proxy));
        try {
            await(backup.name() + " holding " + pair.vip() + " after check-ready failed on " + master.name())
                    .atMost(FAILOVER).pollInterval(POLL).ignoreExceptionsInstanceOf(Exception.class)
                    .until(() -> pair.holdsVip(backup));
            long movedAfter = System.nanoTime() - frozenAt;
            probe.awaitAnswers(System.nanoTime(), 20, FAILOVER);
            VipProbe.Window window = probe.window(frozenAt);
            System.out.println("pair ready drill: " + master.name() + "'s proxy frozen, address moved after "
                    + movedAfter / 1_000_000 + " ms: " + window);
            await(master.name() + " says FAULT").atMost(FAILOVER)
                    .pollInterval(POLL).ignoreExceptionsInstanceOf(Exception.class)
                    .until(() -> pair.vrrp(master).map(v -> v.state().equals("FAULT")).orElse(false));
        } finally {
            DockerCli.quietly("exec", master.name(), "kill", "-CONT", Long.toString(proxy));
        }
        assertEquals(backup, pair.awaitSettled(SETTLE), "the old MASTER is BACKUP once ready again (nopreempt)");
    }

    @Test
    @Order(4)
    void killMinus9OfTheProxyInsideTheMaster_noVrrpTransition_andNoConnectionRefused() {
        Node master = pair.awaitSettled(SETTLE);
        Vrrp before = pair.vrrp(master).orElseThrow();
        long proxy = pair.proxyPid(master).orElseThrow();
        long killedAt = System.nanoTime();
        DockerCli.ok("exec", master.name(), "kill", "-9", Long.toString(proxy));
        await("a new proxy in " + master.name()).atMost(FAILOVER)
                .pollInterval(POLL).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> pair.proxyPid(master).filter(pid -> pid != proxy).isPresent());
        probe.awaitAnswers(System.nanoTime(), 20, FAILOVER);
        // keepalived checks every 2 s and gives up after 3 failures: watch the state over that long after the new
        // proxy serves, failing at the first change.
        long watchUntil = System.nanoTime() + Duration.ofSeconds(7).toNanos();
        await("7 s of " + master.name() + " staying MASTER").atMost(Duration.ofSeconds(30))
                .pollInterval(POLL).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> {
            assertEquals(before, pair.vrrp(master).orElse(null), "VRRP state of " + master.name());
            assertTrue(pair.holdsVip(master), master.name() + " holds " + pair.vip());
            return System.nanoTime() - watchUntil >= 0;
        });
        VipProbe.Window window = probe.window(killedAt);
        System.out.println("pair proxy kill drill: kill -9 of the proxy in " + master.name() + ", no VRRP transition: "
                + window + (window.failures().isEmpty() ? "" : "; first failures " + window.failures()));
        assertEquals(0, window.refused(), "connections refused: " + window);
    }
}

package io.rebound.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drills 5 to 8: the proxy process killed or frozen under the supervisor, and the supervisor itself stopped or
 * killed. The processes are found and signalled as an operator would, with pgrep and kill.
 */
class ProxyFailureIT {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyFailureIT.class);

    @RegisterExtension
    static final ApachesExtension APACHES = new ApachesExtension();
    @RegisterExtension
    final ReboundExtension reboundExtension = new ReboundExtension(APACHES);

    /** A new proxy JVM and its first round of checks; the target is well under a second, this only bounds a hang. */
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(30);
    /** Liveness notices a frozen proxy after about failures x (interval + timeout), then the restart as above. */
    private static final Duration HUNG_PROXY_REPLACEMENT = ReboundConfig.LIVENESS_INTERVAL
            .plus(ReboundConfig.LIVENESS_TIMEOUT).multipliedBy(ReboundConfig.LIVENESS_FAILURES)
            .plus(RECOVERY_TIMEOUT);
    /** "Within a few seconds": the proxy sees its parent is no longer the supervisor and drains for at most 500 ms. */
    private static final Duration ORPHAN_EXIT = Duration.ofSeconds(5);
    /** Each probe of a proxy that may be gone: short, so a refused or hanging probe does not blur the recovery time. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    /** Kills in the shared listener drill: fewer than start-limit-burst, so no crash-loop delay comes into play. */
    private static final int SHARED_LISTENER_DRILLS = 3;

    @Test
    void aProxyKilledWithSigkillIsRestartedAndServesAgainWithTheRestartCounted(TestReporter report) throws Exception {
        ReboundProcess rebound = reboundExtension.rebound();
        long killed = rebound.proxyPid();
        double restartsBefore = rebound.supervisorAdmin().restartsTotal();

        OsProcesses.kill("KILL", killed);
        long killedAt = System.nanoTime();
        awaitServing(rebound);
        Duration recovery = Duration.ofNanos(System.nanoTime() - killedAt);
        report.publishEntry("recovery-ms", Long.toString(recovery.toMillis()));
        LOG.info("pkill drill: kill -9 of proxy {} to the next successful request: {} ms (polled every 50 ms)",
                killed, recovery.toMillis());

        assertReplacedOnce(rebound, killed, restartsBefore, RECOVERY_TIMEOUT);
    }

    /**
     * The supervisor holds the listening socket, so while a killed proxy is replaced new connections wait in
     * its backlog. Each drill runs a request every 10 ms on a new connection across the kill.
     */
    @Test
    void noConnectionIsRefusedWhileProxiesKilledWithSigkillAreReplaced() throws Exception {
        ReboundProcess rebound = reboundExtension.rebound();
        for (int drill = 1; drill <= SHARED_LISTENER_DRILLS; drill++) {
            long killed = rebound.proxyPid();
            List<SequentialLoad.Outcome> outcomes;
            try (SequentialLoad load = SequentialLoad.start(rebound.proxyPort(), RECOVERY_TIMEOUT, 10_000,
                    Duration.ofSeconds(90))) {
                load.awaitMore(10, RECOVERY_TIMEOUT);
                OsProcesses.kill("KILL", killed);
                awaitNewProxy(rebound, killed, RECOVERY_TIMEOUT);
                load.awaitMore(20, RECOVERY_TIMEOUT);
                outcomes = load.stop();
            }
            List<SequentialLoad.Outcome> refused = outcomes.stream()
                    .filter(outcome -> outcome.failure() instanceof ConnectException).toList();
            List<SequentialLoad.Outcome> failed = outcomes.stream().filter(outcome -> !outcome.ok()).toList();
            LOG.info("shared listener drill {}: kill -9 of proxy {} under {} requests: {} refused, {} not answered {}",
                    drill, killed, outcomes.size(), refused.size(), failed.size(), failed);
            assertEquals(List.of(), refused, "refused connections in drill " + drill);
            // Only the one request in flight inside the killed process may fail (the load is sequential).
            assertTrue(failed.size() <= 1, "drill " + drill + ": " + failed);
        }
    }

    @Test
    void aFrozenProxyIsKilledAndReplacedByTheSupervisor() throws Exception {
        ReboundProcess rebound = reboundExtension.rebound();
        long frozen = rebound.proxyPid();
        double restartsBefore = rebound.supervisorAdmin().restartsTotal();

        OsProcesses.kill("STOP", frozen);

        assertReplacedOnce(rebound, frozen, restartsBefore, HUNG_PROXY_REPLACEMENT);
    }

    @Test
    void sigtermToTheSupervisorStopsBothProcessesAndLeavesNoReboundProcess() throws Exception {
        ReboundProcess rebound = reboundExtension.rebound();
        long proxy = rebound.proxyPid();

        rebound.signalSupervisor("TERM");
        Optional<Integer> exit = rebound.awaitSupervisorExit(ReboundProcess.STOP_TIMEOUT);

        assertEquals(Optional.of(0), exit, "the supervisor's exit code after SIGTERM");
        await("proxy " + proxy + " gone")
                .atMost(ORPHAN_EXIT).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> rebound.allPids().isEmpty());
        assertEquals(List.of(), rebound.allPids(), "Rebound processes left");
        assertThrows(ConnectException.class, () -> Http.get(rebound.proxyPort(), "/", PROBE_TIMEOUT),
                "nothing listens on the proxy port any more");
    }

    @Test
    void aSupervisorKilledWithSigkillLeavesNoOrphanProxy() throws Exception {
        ReboundProcess rebound = reboundExtension.rebound();
        long proxy = rebound.proxyPid();

        rebound.signalSupervisor("KILL");
        assertTrue(rebound.awaitSupervisorExit(Duration.ofSeconds(5)).isPresent(), "the supervisor died");

        await("the orphaned proxy " + proxy + " exiting by itself")
                .atMost(ORPHAN_EXIT).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> rebound.proxyPids().isEmpty());
        assertEquals(List.of(), rebound.allPids(), "Rebound processes left");
        assertThrows(ConnectException.class, () -> Http.get(rebound.proxyPort(), "/", PROBE_TIMEOUT),
                "nothing listens on the proxy port any more");
    }

    /**
     * A new proxy replaced {@code old} within {@code timeout} and serves; the restart shows in the supervisor's metric
     * (+1) and in `rebound status`, as the operator checks it.
     */
    private static void assertReplacedOnce(ReboundProcess rebound, long old, double restartsBefore, Duration timeout)
            throws Exception {
        long replacement = awaitNewProxy(rebound, old, timeout);
        awaitServing(rebound);
        assertRestartCounted(rebound, restartsBefore, replacement);
        for (int i = 0; i < 6; i++) {
            HttpAnswer answer = Http.get(rebound.proxyPort(), "/");
            assertEquals(200, answer.status(), "request " + (i + 1) + " after the restart");
        }
    }

    /** Waits for exactly one proxy process of this instance, another than {@code old}; returns its pid. */
    private static long awaitNewProxy(ReboundProcess rebound, long old, Duration timeout) {
        return await("one new proxy process in place of " + old)
                .atMost(timeout).ignoreExceptionsInstanceOf(Exception.class)
                .until(rebound::proxyPids, pids -> pids.size() == 1 && pids.get(0) != old).get(0);
    }

    /** Waits until a request through the proxy port succeeds, each probe on a new connection. */
    private static void awaitServing(ReboundProcess rebound) {
        await("the proxy serving again")
                .atMost(RECOVERY_TIMEOUT).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> Http.get(rebound.proxyPort(), "/", PROBE_TIMEOUT), HttpAnswer::isOk);
    }

    private static void assertRestartCounted(ReboundProcess rebound, double restartsBefore, long newPid)
            throws Exception {
        double restarts = await(SupervisorAdmin.RESTARTS + " counting the restart")
                .atMost(RECOVERY_TIMEOUT).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> rebound.supervisorAdmin().restartsTotal(), total -> total >= restartsBefore + 1);
        assertEquals(restartsBefore + 1, restarts, SupervisorAdmin.RESTARTS);

        Pattern mainPid = Pattern.compile("(?m)^\\s*Main PID:\\s*" + newPid + "\\b");
        CommandResult status = await("`rebound status` showing the new proxy running")
                .atMost(RECOVERY_TIMEOUT).ignoreExceptionsInstanceOf(Exception.class)
                .until(rebound::status,
                        result -> mainPid.matcher(result.output()).find()
                        && result.output().contains("Active: active (running)"));
        assertEquals(0, status.exitCode(), "rebound status exit code while running:\n" + status.output());
        assertTrue(Pattern.compile("(?m)^\\s*Restarts:\\s*1\\b").matcher(status.output()).find(),
                "rebound status shows one restart:\n" + status.output());
    }
}

package io.rebound.supervisor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The supervisor's transitions, each driven by a real stand-in child process. */
class SupervisorTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(5);

    private final int childPort = FreePort.pick();
    private Supervisor supervisor;

    @AfterEach
    void stopSupervisorAndEveryChild() throws Exception {
        try {
            if (supervisor != null) {
                supervisor.stop("test over").get(20, TimeUnit.SECONDS);
            }
        } finally {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void runningToBackoff_afterTheChildCrashesWithAnExitCode_thenANewChildRuns() {
        supervise("", "--exit-after-ms", "1500", "--exit-code", "3");
        long first = awaitRunningChild();

        long second = awaitRunningChildOtherThan(first);

        assertNotEquals(first, second);
        assertTrue(status().restarts().get(RestartReason.EXIT_CODE) >= 1, status()::toString);
        assertEquals(3, status().lastExit().orElseThrow().exitValue());
    }

    @Test
    void runningToBackoff_afterTheChildIsKilledWithSigkill_thenANewChildRuns() {
        supervise("");
        long first = awaitRunningChild();

        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        long second = awaitRunningChildOtherThan(first);

        assertNotEquals(first, second);
        assertEquals(1, status().restarts().get(RestartReason.SIGNAL));
        assertEquals(1, status().restartsTotal());
        ChildExit exit = status().lastExit().orElseThrow();
        assertEquals(first, exit.pid());
        assertEquals(9, exit.signal());
    }

    @Test
    void runningToBackoff_afterACleanExit_underRestartAlways() {
        supervise("rebound.supervisor.restart = always", "--exit-after-ms", "1000", "--exit-code", "0");
        long first = awaitRunningChild();

        awaitRunningChildOtherThan(first);

        assertTrue(status().restarts().get(RestartReason.EXIT_CODE) >= 1, status()::toString);
        assertEquals(0, status().lastExit().orElseThrow().exitValue());
    }

    @Test
    void runningToFatal_afterACrash_underRestartNo() {
        supervise("rebound.supervisor.restart = no", "--exit-after-ms", "1000", "--exit-code", "1");
        awaitState(SupervisorState.FATAL);

        assertStaysWithoutChild(SupervisorState.FATAL);
        assertEquals(0, status().restartsTotal());
        assertEquals(1, status().lastExit().orElseThrow().exitValue());
    }

    @Test
    void runningToStopped_afterExitZero_underRestartOnFailure() {
        supervise("rebound.supervisor.restart = on-failure", "--exit-after-ms", "1000", "--exit-code", "0");
        await("the child's end").atMost(BOUND)
                .untilAsserted(() -> assertTrue(status().lastExit().isPresent(), status()::toString));

        assertStaysWithoutChild(SupervisorState.STOPPED);
        assertEquals(0, status().restartsTotal());
        assertEquals(0, status().lastExit().orElseThrow().exitValue());
    }

    @Test
    void runningToBackoff_afterACrash_underRestartOnFailure() {
        supervise("rebound.supervisor.restart = on-failure", "--exit-after-ms", "1000", "--exit-code", "1");
        long first = awaitRunningChild();

        awaitRunningChildOtherThan(first);

        assertTrue(status().restarts().get(RestartReason.EXIT_CODE) >= 1, status()::toString);
    }

    @Test
    void startingToFatal_onExitCode78_withoutRestartingOrSpinning() {
        supervise("", "--exit-after-ms", "200", "--exit-code", "78");
        awaitState(SupervisorState.FATAL);

        assertStaysWithoutChild(SupervisorState.FATAL);
        assertEquals(0, status().restartsTotal());
        assertEquals(78, status().lastExit().orElseThrow().exitValue());
        assertFalse(status().crashLooping());
    }

    @Test
    void backoffDelayGrows_whileTheChildCrashLoops() {
        supervise("rebound.supervisor { restart-delay = 100ms, restart-max-delay = 800ms, start-limit-burst = 2,"
                + " start-limit-interval = 60s }", "--exit-after-ms", "0", "--exit-code", "1");
        List<Duration> delays = new ArrayList<>();

        await("a restart delay of restart-max-delay 800ms").atMost(BOUND).pollInterval(POLL).until(() -> {
            status().nextRestartDelay().ifPresent(delay -> {
                if (delays.isEmpty() || !delays.get(delays.size() - 1).equals(delay)) {
                    delays.add(delay);
                }
            });
            return !delays.isEmpty() && delays.get(delays.size() - 1).equals(Duration.ofMillis(800));
        });

        assertTrue(status().crashLooping(), status()::toString);
        assertTrue(delays.size() >= 3, "distinct delays seen: " + delays);
        for (int i = 1; i < delays.size(); i++) {
            assertTrue(delays.get(i).compareTo(delays.get(i - 1)) > 0, "delays grow: " + delays);
        }
    }

    @Test
    void startingToKilling_whenTheChildIsNeitherReadyNorStartedInTime_thenRestartedAsNotReady() {
        supervise("rebound.supervisor.start-timeout = 2s", "--never-ready");

        await("a restart for not-ready").atMost(BOUND).untilAsserted(() -> assertTrue(
                status().restarts().get(RestartReason.NOT_READY) >= 1, status()::toString));

        assertEquals(9, status().lastExit().orElseThrow().signal());
        assertEquals(0, status().restarts().get(RestartReason.EXIT_CODE));
    }

    @Test
    void startingToRunning_atTheStartTimeout_whenTheChildIsStartedButNotReady() {
        supervise("rebound.supervisor.start-timeout = 1500ms", "--never-ready", "--started");

        long pid = awaitRunningChild();

        assertEquals(0, status().restartsTotal());
        assertTrue(ProcessHandle.of(pid).orElseThrow().isAlive());
    }

    @Test
    void runningToKilling_whenTheChildIsFrozenWithSigstop_thenReplaced() throws Exception {
        supervise("");
        long frozen = awaitRunningChild();

        SignalSender.send("STOP", frozen);
        long replacement = awaitRunningChildOtherThan(frozen);

        assertNotEquals(frozen, replacement);
        assertEquals(1, status().restarts().get(RestartReason.LIVENESS));
        assertEquals(9, status().lastExit().orElseThrow().signal());
        assertFalse(ProcessHandle.of(frozen).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void stoppingToStopped_whenTheChildEndsOnSigtermWithinTheStopTimeout() throws Exception {
        supervise("rebound.supervisor.stop-timeout = 20s", "--term-delay-ms", "300");
        long pid = awaitRunningChild();

        supervisor.stop("test").get(15, TimeUnit.SECONDS);

        assertEquals(SupervisorState.STOPPED, status().state());
        assertEquals(0, status().lastExit().orElseThrow().exitValue(), "exit 0 after SIGTERM, not SIGKILL");
        assertEquals(0, status().restartsTotal());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void stoppingSendsSigkill_whenTheChildIgnoresSigtermPastTheStopTimeout() throws Exception {
        supervise("rebound.supervisor.stop-timeout = 1s", "--ignore-sigterm");
        long pid = awaitRunningChild();

        supervisor.stop("test").get(15, TimeUnit.SECONDS);

        assertEquals(SupervisorState.STOPPED, status().state());
        assertEquals(9, status().lastExit().orElseThrow().signal());
        assertEquals(0, status().restartsTotal());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void backoffToStopped_whenAStopArrivesDuringTheRestartDelay() throws Exception {
        supervise("rebound.supervisor { restart-delay = 30s, restart-max-delay = 30s }", "--exit-after-ms", "500", "--exit-code", "1");
        awaitState(SupervisorState.BACKOFF);

        supervisor.stop("test").get(5, TimeUnit.SECONDS);

        assertEquals(SupervisorState.STOPPED, status().state());
        assertTrue(status().childPid().isEmpty());
    }

    @Test
    void theChildsOutputIsLoggedLineByLineTaggedWithItsPid() {
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Logger childLog = (Logger) LoggerFactory.getLogger("io.rebound.supervisor.child");
        childLog.addAppender(lines);
        try {
            supervise("");
            long pid = awaitRunningChild();

            String expected = "[proxy " + pid + "] stand-in child pid " + pid + " serving on port " + childPort;
            await("the child's first line in the log").atMost(BOUND).untilAsserted(() -> assertTrue(lines.list
                    .stream().anyMatch(event -> event.getFormattedMessage().startsWith(expected)), lines.list::toString));
        } finally {
            childLog.detachAppender(lines);
        }
    }

    @Test
    void aReload_isRefused_whenTheChildrenDoNotShareTheListeningSocket_andTheChildKeepsRunning() throws Exception {
        supervise("");
        long child = awaitRunningChild();

        ReloadOutcome outcome = supervisor.reload("test").get(10, TimeUnit.SECONDS);

        assertEquals(ReloadOutcome.Result.REFUSED, outcome.result(), outcome.message());
        assertTrue(outcome.message().contains("share-listener"), outcome.message());
        assertEquals(SupervisorState.RUNNING, status().state());
        assertEquals(child, status().childPid().orElseThrow());
        assertEquals(0, status().reloads());
    }

    @Test
    void aReloadAfterTheChildFailedWithoutRestart_startsANewChild() throws Exception {
        supervise("rebound.supervisor.restart = no", "--exit-after-ms", "500", "--exit-code", "1");
        awaitState(SupervisorState.FATAL);

        ReloadOutcome outcome = supervisor.reload("test").get(10, TimeUnit.SECONDS);

        assertEquals(ReloadOutcome.Result.RELOADED, outcome.result(), outcome.message());
        assertTrue(status().childPid().isPresent(), status()::toString);
    }

    @Test
    void aReloadWhileTheChildIsStarting_waitsUntilItRuns_thenIsTakenAsAReloadOfARunningChild() throws Exception {
        supervise("", "--ready-after-ms", "1500");
        awaitState(SupervisorState.STARTING);

        ReloadOutcome outcome = supervisor.reload("test").get(10, TimeUnit.SECONDS);

        // Begun once the child ran: refused then only because stand-ins do not share a listening socket.
        assertEquals(ReloadOutcome.Result.REFUSED, outcome.result(), outcome.message());
        assertTrue(outcome.message().contains("share-listener"), outcome.message());
        assertEquals(SupervisorState.RUNNING, status().state());
    }

    @Test
    void aReloadDeferredWhileTheChildIsStarting_isRefused_whenTheChildFailsWithoutRestart() throws Exception {
        supervise("rebound.supervisor.restart = no", "--ready-after-ms", "5000", "--exit-after-ms", "1500");
        awaitState(SupervisorState.STARTING);

        ReloadOutcome outcome = supervisor.reload("test").get(10, TimeUnit.SECONDS);

        assertEquals(ReloadOutcome.Result.REFUSED, outcome.result(), outcome.message());
        assertTrue(outcome.message().contains("no proxy is running to reload (failed)"), outcome.message());
        assertEquals(SupervisorState.FATAL, status().state());
    }

    private void supervise(String overrides, String... childArgs) {
        supervisor = new Supervisor(StandIn.settings(childPort, overrides), StandIn.command(childPort, childArgs));
        supervisor.start();
    }

    private SupervisorStatus status() {
        return supervisor.status();
    }

    private void awaitState(SupervisorState state) {
        await("state " + state).atMost(BOUND).pollInterval(POLL)
                .untilAsserted(() -> assertEquals(state, status().state(), status()::toString));
    }

    private long awaitRunningChild() {
        awaitState(SupervisorState.RUNNING);
        return status().childPid().orElseThrow();
    }

    private long awaitRunningChildOtherThan(long pid) {
        await("a running child other than pid " + pid).atMost(BOUND).pollInterval(POLL).untilAsserted(() -> {
            SupervisorStatus now = status();
            assertTrue(now.state() == SupervisorState.RUNNING && now.childPid().isPresent()
                    && now.childPid().getAsLong() != pid, now::toString);
        });
        return status().childPid().orElseThrow();
    }

    /** Nothing restarts: several restart delays (50 ms) and JVM starts long. */
    private void assertStaysWithoutChild(SupervisorState state) {
        await("state " + state + " without a child").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .pollInterval(POLL).untilAsserted(() -> assertTrue(
                        status().state() == state && status().childPid().isEmpty(), status()::toString));
    }
}

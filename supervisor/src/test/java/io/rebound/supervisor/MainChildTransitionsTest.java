package io.rebound.supervisor;

import static io.rebound.supervisor.SupervisorState.BACKOFF;
import static io.rebound.supervisor.SupervisorState.FATAL;
import static io.rebound.supervisor.SupervisorState.KILLING;
import static io.rebound.supervisor.SupervisorState.RUNNING;
import static io.rebound.supervisor.SupervisorState.STARTING;
import static io.rebound.supervisor.SupervisorState.STOPPED;
import static io.rebound.supervisor.SupervisorState.STOPPING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.supervisor.FakeChild.Health;
import io.rebound.supervisor.history.SupervisorEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The main child's transitions, driven with fake children in virtual time (start-timeout 3s, liveness 1s x 3). */
class MainChildTransitionsTest {

    @Test
    void startingToRunning_whenTheChildIsReady() {
        SupervisorRig rig = SupervisorRig.started("");
        assertEquals(STARTING, rig.state());
        rig.advanceMillis(60);
        assertEquals(RUNNING, rig.state());
        assertEquals(rig.child(0).pid(), rig.status().childPid().getAsLong());
        assertEquals(0, rig.restarts());
    }

    @Test
    void startingToRunning_whenTheChildIsStartedButNoServerIsUpAtTheStartTimeout() {
        SupervisorRig rig = startedWith(Health.STARTED_NO_SERVER_UP, "");
        rig.advanceMillis(2900);
        assertEquals(STARTING, rig.state(), "still waiting for ready before the start timeout");
        rig.advanceMillis(200);
        assertEquals(RUNNING, rig.state());
        rig.advance(Duration.ofSeconds(30));
        assertEquals(RUNNING, rig.state(), "no kill, no restart while no server is up");
        assertEquals(List.of(), rig.child(0).signals());
        assertEquals(1, rig.launched());
        assertEquals(0, rig.restarts());
    }

    @Test
    void startingToKillingToBackoff_whenTheChildIsNeitherReadyNorStarted() {
        SupervisorRig rig = startedWith(Health.NOT_STARTED, "");
        rig.advanceMillis(3000);
        assertEquals(BACKOFF, rig.state(), "killed at the start timeout and ended at once");
        assertEquals(List.of("KILL"), rig.child(0).signals());
        assertEquals(1, rig.status().restarts().get(RestartReason.NOT_READY));
        rig.advanceMillis(100);
        assertEquals(STARTING, rig.state());
        assertEquals(2, rig.launched());
    }

    @Test
    void runningToKillingToBackoffToRunning_afterThreeFailedLivenessProbes() {
        SupervisorRig rig = SupervisorRig.started("");
        rig.advanceMillis(60);
        rig.child(0).ignoresSigterm = true;
        rig.child(0).live = false;
        rig.advanceMillis(2000);
        assertEquals(RUNNING, rig.state(), "two failures are allowed");
        rig.advanceMillis(1000);
        assertEquals(BACKOFF, rig.state());
        assertEquals(List.of("KILL"), rig.child(0).signals());
        assertEquals(1, rig.status().restarts().get(RestartReason.LIVENESS));
        rig.advanceMillis(200);
        assertEquals(RUNNING, rig.state());
        assertEquals(rig.child(1).pid(), rig.status().childPid().getAsLong());
    }

    @Test
    void aRestartGoesOnTheTimeline_withItsTimeReasonAndDelay() {
        SupervisorRig rig = SupervisorRig.started("");
        rig.advanceMillis(60);
        long pid = rig.child(0).pid();
        rig.child(0).ends(128 + 9);
        rig.advanceMillis(0);

        assertEquals(List.of(new SupervisorEvent(rig.status().sinceEpochMillis(), SupervisorEvent.Kind.RESTART,
                "signal", "pid " + pid + " ended with signal 9 (KILL); restart 1, a new proxy starts in 100ms")),
                rig.events());
    }

    @Test
    void runningToKillingToBackoff_onlyOnceTheKilledChildHasEnded() {
        SupervisorRig rig = SupervisorRig.started("");
        rig.advanceMillis(60);
        rig.child(0).slowToDie = true;
        rig.child(0).live = false;
        rig.advanceMillis(3000);
        assertEquals(KILLING, rig.state());
        rig.advance(Duration.ofSeconds(10));
        assertEquals(KILLING, rig.state(), "no second child while the first may still hold its ports");
        assertEquals(1, rig.launched());
        rig.child(0).ends(128 + 9);
        rig.advanceMillis(0);
        assertEquals(BACKOFF, rig.state());
        assertEquals(1, rig.status().restarts().get(RestartReason.LIVENESS), "counted for liveness, not as signal 9");
    }

    @Test
    void backoffDelayDoublesFromTheStartThatReachesTheBurst_whenTheChildCrashLoops() {
        SupervisorRig rig = SupervisorRig.started("rebound.supervisor { start-limit-burst = 3, start-limit-interval = 10s,"
                + " restart-max-delay = 300ms }");
        List<Duration> delays = new ArrayList<>();
        for (int crash = 0; crash < 4; crash++) {
            rig.advanceMillis(60);
            assertEquals(RUNNING, rig.state());
            rig.last().ends(1);
            rig.advanceMillis(0);
            assertEquals(BACKOFF, rig.state());
            delays.add(rig.status().nextRestartDelay().orElseThrow());
            rig.advance(delays.get(crash));
        }
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(300)), delays, "doubling, capped by restart-max-delay");
        assertTrue(rig.status().crashLooping());
        assertEquals(4, rig.status().restarts().get(RestartReason.EXIT_CODE));
    }

    @Test
    void startingToFatal_whenTheChildExitsWithAnInvalidConfiguration() {
        SupervisorRig rig = SupervisorRig.started("rebound.supervisor.restart-prevent-exit-status = [78]");
        rig.child(0).ends(78);
        rig.advanceMillis(0);
        assertEquals(FATAL, rig.state());
        rig.advance(Duration.ofSeconds(10));
        assertEquals(1, rig.launched(), "no restart");
    }

    @Test
    void runningToStopped_whenACleanExitIsNotRestartedOnFailureOnly() {
        SupervisorRig rig = SupervisorRig.started("rebound.supervisor.restart = on-failure");
        rig.advanceMillis(60);
        rig.child(0).ends(0);
        rig.advanceMillis(0);
        assertEquals(STOPPED, rig.state());
    }

    @Test
    void aLaunchThatFailsIsRestartedLikeAChildThatExitedAtOnce() {
        SupervisorRig rig = SupervisorRig.started("");
        rig.failLaunches(1);
        rig.child(0).ends(1);
        rig.advanceMillis(0);
        rig.advanceMillis(100);
        assertEquals(BACKOFF, rig.state(), "the second launch failed: exit code 126");
        assertEquals(126, rig.status().lastExit().orElseThrow().exitValue());
        rig.advanceMillis(100);
        assertEquals(STARTING, rig.state());
        rig.advanceMillis(60);
        assertEquals(RUNNING, rig.state());
    }

    @Test
    void runningToStoppingToStopped_withSigtermThenSigkillAfterTheStopTimeout() {
        SupervisorRig rig = SupervisorRig.started("");
        rig.advanceMillis(60);
        rig.child(0).ignoresSigterm = true;
        var stopped = rig.stop();
        assertEquals(STOPPING, rig.state());
        assertEquals(List.of("TERM"), rig.child(0).signals());
        rig.advanceMillis(4900);
        assertFalse(stopped.isDone());
        rig.advanceMillis(100);
        assertEquals(List.of("TERM", "KILL"), rig.child(0).signals());
        assertEquals(STOPPED, rig.state());
        assertTrue(stopped.isDone());
    }

    @Test
    void backoffToStopped_cancelsThePendingRestart() {
        SupervisorRig rig = SupervisorRig.started("rebound.supervisor.restart-delay = 2s");
        rig.advanceMillis(60);
        rig.child(0).ends(1);
        rig.advanceMillis(0);
        assertEquals(BACKOFF, rig.state());
        var stopped = rig.stop();
        assertTrue(stopped.isDone());
        rig.advance(Duration.ofSeconds(5));
        assertEquals(STOPPED, rig.state());
        assertEquals(1, rig.launched());
    }

    @Test
    void killingToStoppingToStopped_whenAStopComesWhileTheKilledChildIsStillThere() {
        SupervisorRig rig = startedWith(Health.NOT_STARTED, "");
        rig.child(0).slowToDie = true;
        rig.advanceMillis(3000);
        assertEquals(KILLING, rig.state());
        var stopped = rig.stop();
        assertEquals(STOPPING, rig.state());
        rig.child(0).ends(128 + 9);
        rig.advanceMillis(0);
        assertEquals(STOPPED, rig.state());
        assertTrue(stopped.isDone());
        assertEquals(1, rig.launched(), "no restart during a stop");
    }

    private static SupervisorRig startedWith(Health health, String overrides) {
        SupervisorRig rig = SupervisorRig.started(overrides);
        rig.child(0).health = health;
        return rig;
    }
}

package io.rebound.supervisor;

import static io.rebound.supervisor.SupervisorState.BACKOFF;
import static io.rebound.supervisor.SupervisorState.RUNNING;
import static io.rebound.supervisor.SupervisorState.STOPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.supervisor.FakeChild.Health;
import io.rebound.supervisor.ReloadOutcome.Result;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The warm standby ({@code standby = 1}), driven with fake children in virtual time (start-timeout 3s). */
class StandbyTransitionsTest {
    private static final String STANDBY = "rebound.supervisor.standby = 1";

    @Test
    void aStandbyIsLaunchedOnceTheMainProxyRuns() {
        SupervisorRig rig = SupervisorRig.started(STANDBY);
        assertEquals(1, rig.launched());
        rig.advanceMillis(60);
        assertEquals(2, rig.launched());
        assertTrue(rig.child(1).besideAnother());
        rig.advanceMillis(60);
        assertTrue(rig.status().standbyReady());
        assertEquals(rig.child(1).pid(), rig.status().standbyPid().getAsLong());
    }

    @Test
    void aStartedStandbyStays_whenNoServerIsUp_withoutKillsOrRestarts() {
        SupervisorRig rig = SupervisorRig.started(STANDBY);
        rig.nextChildren = Health.STARTED_NO_SERVER_UP;
        rig.child(0).health = Health.STARTED_NO_SERVER_UP;
        rig.advance(Duration.ofSeconds(60));
        assertEquals(RUNNING, rig.state());
        assertEquals(2, rig.launched(), "one main proxy and one standby in a minute, no relaunch");
        assertEquals(List.of(), rig.child(1).signals());
        assertEquals(0, rig.restarts());
        assertTrue(rig.status().standbyReady(), "it runs, though no server is up");
        assertFalse(rig.status().crashLooping());
    }

    @Test
    void theStandbyIsPromotedAtOnce_whenTheMainProxyEnds_andANewStandbyFollowsAfterTheDelay() {
        SupervisorRig rig = runningWithStandby();
        rig.child(0).ends(128 + 9);
        rig.advanceMillis(0);
        assertEquals(RUNNING, rig.state(), "no BACKOFF: the standby serves already");
        assertEquals(rig.child(1).pid(), rig.status().childPid().getAsLong());
        assertEquals(1, rig.status().restarts().get(RestartReason.SIGNAL));
        assertTrue(rig.status().standbyPid().isEmpty());
        rig.advanceMillis(100);
        assertEquals(3, rig.launched(), "a new standby after restart-delay");
        rig.advanceMillis(60);
        assertEquals(rig.child(2).pid(), rig.status().standbyPid().getAsLong());
    }

    @Test
    void aCrashedStandbyIsCountedAndRestartedAfterTheDelay() {
        SupervisorRig rig = runningWithStandby();
        rig.child(1).ends(1);
        rig.advanceMillis(0);
        assertEquals(1, rig.status().restarts().get(RestartReason.EXIT_CODE));
        assertEquals(RUNNING, rig.state());
        assertEquals(rig.child(0).pid(), rig.status().childPid().getAsLong(), "the main proxy is untouched");
        rig.advanceMillis(99);
        assertEquals(2, rig.launched());
        rig.advanceMillis(1);
        assertEquals(3, rig.launched());
    }

    @Test
    void standbyLaunchesDoNotCountTowardTheMainCrashLoop_unlessTheyCrash() {
        SupervisorRig rig = SupervisorRig.started(STANDBY + "\nrebound.supervisor { start-limit-burst = 2, "
                + "start-limit-interval = 1h }");
        rig.advanceMillis(200);
        assertEquals(2, rig.launched(), "main and standby");
        // Reloads replace the standby each time: many standby launches, no crash.
        for (int reload = 0; reload < 3; reload++) {
            assertEquals(Result.RELOADED, reloadAndWait(rig).result());
            rig.advanceMillis(200);
        }
        rig.main().ends(1);
        rig.advanceMillis(0);
        assertFalse(rig.status().crashLooping(), "one crash of the main proxy is no crash loop");
    }

    @Test
    void crashingStandbysDoCountTowardTheCrashLoop() {
        SupervisorRig rig = SupervisorRig.started(STANDBY + "\nrebound.supervisor { start-limit-burst = 2, "
                + "start-limit-interval = 1h, restart-max-delay = 10s }");
        rig.advanceMillis(200);
        rig.child(1).ends(1);
        rig.advanceMillis(100);
        rig.advanceMillis(200);
        rig.last().ends(1);
        rig.advanceMillis(0);
        assertTrue(rig.status().crashLooping());
    }

    @Test
    void aStandbyThatComesUpWhileTheMainProxyWaitsForItsRestartIsPromoted() {
        SupervisorRig rig = SupervisorRig.started(STANDBY + "\nrebound.supervisor.restart-delay = 2s");
        rig.nextChildren = Health.NOT_STARTED;
        rig.advanceMillis(60);
        assertEquals(2, rig.launched());
        rig.child(0).ends(1);
        rig.advanceMillis(0);
        assertEquals(BACKOFF, rig.state());
        rig.child(1).health = Health.READY;
        rig.advanceMillis(60);
        assertEquals(RUNNING, rig.state());
        assertEquals(rig.child(1).pid(), rig.status().childPid().getAsLong());
        rig.advance(Duration.ofSeconds(3));
        assertEquals(RUNNING, rig.state());
        assertEquals(3, rig.launched(), "the pending main restart was dropped; a new standby came instead");
    }

    @Test
    void aStopEndsTheStandbyToo() {
        SupervisorRig rig = runningWithStandby();
        var stopped = rig.stop();
        rig.advanceMillis(0);
        assertTrue(stopped.isDone());
        assertEquals(STOPPED, rig.state());
        assertEquals(List.of("TERM"), rig.child(1).signals());
    }

    @Test
    void aReloadReplacesTheStandbyWithOneOfTheNewConfiguration() {
        SupervisorRig rig = runningWithStandby();
        assertEquals(Result.RELOADED, reloadAndWait(rig).result());
        assertEquals(List.of("TERM"), rig.child(1).signals(), "the standby ran the previous configuration");
        assertEquals(4, rig.launched());
        rig.advanceMillis(60);
        assertEquals(rig.child(3).pid(), rig.status().standbyPid().getAsLong());
    }

    private static SupervisorRig runningWithStandby() {
        SupervisorRig rig = SupervisorRig.started(STANDBY);
        rig.advanceMillis(200);
        assertEquals(RUNNING, rig.state());
        assertTrue(rig.status().standbyReady());
        return rig;
    }

    private static ReloadOutcome reloadAndWait(SupervisorRig rig) {
        var outcome = rig.reload();
        rig.advanceMillis(60);
        return outcome.join();
    }
}

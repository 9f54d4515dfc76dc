package io.rebound.supervisor;

import static io.rebound.supervisor.SupervisorState.BACKOFF;
import static io.rebound.supervisor.SupervisorState.FATAL;
import static io.rebound.supervisor.SupervisorState.RELOADING;
import static io.rebound.supervisor.SupervisorState.RUNNING;
import static io.rebound.supervisor.SupervisorState.STARTING;
import static io.rebound.supervisor.SupervisorState.STOPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.supervisor.FakeChild.Health;
import io.rebound.supervisor.ReloadOutcome.Result;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Reloads, driven with fake children in virtual time (start-timeout 3s). */
class ReloadTransitionsTest {

    @Test
    void runningToReloadingToRunning_whenTheNewProxyIsReady_andTheOldOneDrains() {
        SupervisorRig rig = running(Health.READY);
        CompletableFuture<ReloadOutcome> outcome = rig.reload();
        assertEquals(RELOADING, rig.state());
        FakeChild successor = rig.child(1);
        assertTrue(successor.besideAnother(), "started on an interim admin address");
        rig.advanceMillis(60);
        assertEquals(RUNNING, rig.state());
        assertEquals(Result.RELOADED, outcome.join().result());
        assertEquals(successor.pid(), rig.status().childPid().getAsLong());
        assertEquals(List.of("TERM"), rig.child(0).signals());
        assertEquals(1, rig.status().reloads());
        assertEquals(0, rig.restarts());
    }

    @Test
    void reloadFails_andTheOldProxyKeepsServing_whenTheNewOneIsNeitherReadyNorStarted() {
        SupervisorRig rig = running(Health.READY);
        rig.nextChildren = Health.NOT_STARTED;
        CompletableFuture<ReloadOutcome> outcome = rig.reload();
        rig.advanceMillis(2999);
        assertFalse(outcome.isDone());
        rig.advanceMillis(1);
        assertEquals(Result.FAILED, outcome.join().result());
        assertEquals(RUNNING, rig.state());
        assertEquals(rig.child(0).pid(), rig.status().childPid().getAsLong());
        assertEquals(List.of("KILL"), rig.child(1).signals());
        assertEquals(List.of(), rig.child(0).signals());
        assertEquals(0, rig.restarts(), "a failed reload is no restart");
    }

    @Test
    void reloadFails_whenTheNewProxyExitsWithAnInvalidConfiguration() {
        SupervisorRig rig = running(Health.READY);
        CompletableFuture<ReloadOutcome> outcome = rig.reload();
        rig.child(1).ends(78);
        rig.advanceMillis(0);
        assertEquals(Result.FAILED, outcome.join().result());
        assertTrue(outcome.join().message().contains("78: invalid configuration"), outcome.join().message());
        assertEquals(RUNNING, rig.state());
        assertEquals(rig.child(0).pid(), rig.status().childPid().getAsLong());
    }

    @Test
    void reloadSucceedsDuringAnOutage_whenTheNewProxyIsStartedAndTheOldOneSeesNoServerEither() {
        SupervisorRig rig = running(Health.STARTED_NO_SERVER_UP);
        rig.nextChildren = Health.STARTED_NO_SERVER_UP;
        CompletableFuture<ReloadOutcome> outcome = rig.reload();
        rig.advanceMillis(3000);
        assertEquals(Result.RELOADED, outcome.join().result(), outcome.join().message());
        assertEquals(rig.child(1).pid(), rig.status().childPid().getAsLong());
        assertEquals(List.of("TERM"), rig.child(0).signals());
        assertEquals(RUNNING, rig.state());
    }

    @Test
    void reloadIsRefusedAndTheNewProxyKilled_whenItSeesNoServerUpWhileTheOldOneSeesSome() {
        SupervisorRig rig = running(Health.READY);
        rig.nextChildren = Health.STARTED_NO_SERVER_UP;
        CompletableFuture<ReloadOutcome> outcome = rig.reload();
        rig.advanceMillis(3000);
        assertEquals(Result.FAILED, outcome.join().result());
        assertTrue(outcome.join().message().contains("sees no server up while pid " + rig.child(0).pid()),
                outcome.join().message());
        assertEquals(List.of("KILL"), rig.child(1).signals());
        assertEquals(rig.child(0).pid(), rig.status().childPid().getAsLong());
        assertEquals(RUNNING, rig.state());
    }

    @Test
    void reloadIsDeferredWhileTheChildStarts_andBeginsOnceItRuns() {
        SupervisorRig rig = SupervisorRig.started("");
        rig.child(0).health = Health.NOT_STARTED;
        CompletableFuture<ReloadOutcome> first = rig.reload();
        CompletableFuture<ReloadOutcome> second = rig.reload();
        assertEquals(STARTING, rig.state());
        rig.advanceMillis(500);
        assertFalse(first.isDone());
        rig.child(0).health = Health.READY;
        rig.advanceMillis(60);
        assertEquals(RELOADING, rig.state(), "one reload for both requests");
        assertEquals(2, rig.launched());
        rig.advanceMillis(60);
        assertEquals(Result.RELOADED, first.join().result());
        assertEquals(Result.RELOADED, second.join().result());
        assertEquals(rig.child(1).pid(), rig.status().childPid().getAsLong());
    }

    @Test
    void deferredReloadIsRefused_whenTheStartingChildFailsInstead() {
        SupervisorRig rig = SupervisorRig.started("");
        rig.child(0).health = Health.NOT_STARTED;
        CompletableFuture<ReloadOutcome> outcome = rig.reload();
        rig.child(0).ends(1);
        rig.advanceMillis(0);
        assertEquals(BACKOFF, rig.state());
        assertEquals(Result.REFUSED, outcome.join().result());
    }

    @Test
    void reloadStartsAProxy_whenNoneRuns() {
        SupervisorRig rig = SupervisorRig.started("rebound.supervisor.restart-prevent-exit-status = [78]");
        rig.child(0).ends(78);
        rig.advanceMillis(0);
        assertEquals(FATAL, rig.state());
        CompletableFuture<ReloadOutcome> outcome = rig.reload();
        assertEquals(Result.RELOADED, outcome.join().result());
        assertEquals(STARTING, rig.state());
        rig.advanceMillis(60);
        assertEquals(RUNNING, rig.state());
    }

    @Test
    void theNewProxyTakesOver_whenTheOldOneEndsDuringTheReload() {
        SupervisorRig rig = running(Health.READY);
        rig.nextChildren = Health.NOT_STARTED;
        CompletableFuture<ReloadOutcome> outcome = rig.reload();
        rig.child(0).ends(128 + 9);
        rig.advanceMillis(0);
        assertEquals(Result.RELOADED, outcome.join().result());
        assertEquals(STARTING, rig.state());
        assertEquals(rig.child(1).pid(), rig.status().childPid().getAsLong());
        assertEquals(1, rig.status().restarts().get(RestartReason.SIGNAL));
        rig.child(1).health = Health.READY;
        rig.advanceMillis(60);
        assertEquals(RUNNING, rig.state());
    }

    @Test
    void reloadIsRefused_whenTheChildrenDoNotShareTheListener() {
        SupervisorRig rig = SupervisorRig.started("").notSharingTheListener();
        rig.advanceMillis(60);
        CompletableFuture<ReloadOutcome> outcome = rig.reload();
        assertEquals(Result.REFUSED, outcome.join().result());
        assertEquals(1, rig.launched());
    }

    @Test
    void stopDuringAReload_endsBothProxiesAndFailsTheReload() {
        SupervisorRig rig = running(Health.READY);
        rig.nextChildren = Health.NOT_STARTED;
        CompletableFuture<ReloadOutcome> outcome = rig.reload();
        CompletableFuture<Void> stopped = rig.stop();
        rig.advanceMillis(0);
        assertEquals(Result.FAILED, outcome.join().result());
        assertEquals(STOPPED, rig.state());
        assertTrue(stopped.isDone());
        assertEquals(List.of("TERM"), rig.child(0).signals());
        assertEquals(List.of("TERM"), rig.child(1).signals());
        rig.advance(Duration.ofSeconds(10));
        assertEquals(2, rig.launched());
    }

    private static SupervisorRig running(Health health) {
        SupervisorRig rig = SupervisorRig.started("");
        rig.child(0).health = health;
        rig.advanceMillis(health == Health.READY ? 60 : 3000);
        assertEquals(RUNNING, rig.state());
        return rig;
    }
}

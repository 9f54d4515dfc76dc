package io.rebound.supervisor;

import static io.rebound.supervisor.AfterExit.RESTART;
import static io.rebound.supervisor.AfterExit.STAY_FAILED;
import static io.rebound.supervisor.AfterExit.STAY_STOPPED;
import static io.rebound.supervisor.RestartPolicy.ALWAYS;
import static io.rebound.supervisor.RestartPolicy.NO;
import static io.rebound.supervisor.RestartPolicy.ON_FAILURE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class AfterExitTest {
    private static final Set<Integer> PREVENT = Set.of(78);

    @Test
    void alwaysRestartsAfterAnyEnd() {
        assertEquals(RESTART, decide(ALWAYS, 0, false));
        assertEquals(RESTART, decide(ALWAYS, 1, false));
        assertEquals(RESTART, decide(ALWAYS, 137, false));
        assertEquals(RESTART, decide(ALWAYS, 0, true));
    }

    @Test
    void onFailureRestartsAfterFailuresButNotAfterExitZero() {
        assertEquals(STAY_STOPPED, decide(ON_FAILURE, 0, false));
        assertEquals(RESTART, decide(ON_FAILURE, 1, false));
        assertEquals(RESTART, decide(ON_FAILURE, 143, false));
        assertEquals(RESTART, decide(ON_FAILURE, 137, true));
    }

    @Test
    void noNeverRestarts_andCallsAFailureFailed() {
        assertEquals(STAY_STOPPED, decide(NO, 0, false));
        assertEquals(STAY_FAILED, decide(NO, 1, false));
        assertEquals(STAY_FAILED, decide(NO, 137, true));
    }

    @Test
    void aPreventingExitCodeFailsWithoutRestartUnderEveryPolicy() {
        for (RestartPolicy policy : RestartPolicy.values()) {
            assertEquals(STAY_FAILED, decide(policy, 78, false), policy.name());
        }
    }

    @Test
    void aChildKilledByTheSupervisorIsAFailureWhateverItsExitValue() {
        assertEquals(RESTART, decide(ON_FAILURE, 0, true));
        assertEquals(RESTART, decide(ALWAYS, 78, true));
    }

    private static AfterExit decide(RestartPolicy policy, int exitValue, boolean killedBySupervisor) {
        return AfterExit.decide(policy, PREVENT, new ChildExit(1, exitValue, 0), killedBySupervisor);
    }
}

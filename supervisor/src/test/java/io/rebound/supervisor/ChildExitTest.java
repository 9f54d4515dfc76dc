package io.rebound.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class ChildExitTest {

    @Test
    void exitValuesAbove128AreDeathsBySignal() {
        ChildExit killed = new ChildExit(7, 137, 0);

        assertEquals(9, killed.signal());
        assertEquals("signal 9 (KILL)", killed.describe());
        assertEquals(RestartReason.SIGNAL, RestartReason.of(killed));
    }

    @Test
    void otherExitValuesAreExitCodes() {
        ChildExit config = new ChildExit(7, 78, 0);

        assertFalse(config.bySignal());
        assertEquals("exit code 78", config.describe());
        assertEquals(RestartReason.EXIT_CODE, RestartReason.of(config));
    }
}

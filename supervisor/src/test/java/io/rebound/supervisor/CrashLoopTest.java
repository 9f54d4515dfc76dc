package io.rebound.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Crash-loop detection on made-up nanoTime values: burst 3 within 10 s, delay 100 ms doubling up to 1 s. */
class CrashLoopTest {
    private static final long SECOND = 1_000_000_000L;

    private final CrashLoop crashLoop = new CrashLoop(3, Duration.ofSeconds(10),
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)));

    @Test
    void restartsWaitTheBaseDelayUntilTheBurstIsReached_thenTheDelayDoublesUpToTheMaximum() {
        List<Long> delays = new ArrayList<>();
        long now = 0;
        for (int crash = 0; crash < 8; crash++) {
            crashLoop.started(now);
            long started = now;
            now += SECOND / 10;
            delays.add(crashLoop.delayBeforeRestart(started, now).toMillis());
        }

        assertEquals(List.of(100L, 100L, 200L, 400L, 800L, 1000L, 1000L, 1000L), delays);
        assertTrue(crashLoop.looping());
    }

    @Test
    void crashesSpreadWiderThanTheIntervalAreNotALoop() {
        long now = 0;
        for (int crash = 0; crash < 10; crash++) {
            crashLoop.started(now);
            long started = now;
            now += 4 * SECOND;
            assertEquals(Duration.ofMillis(100), crashLoop.delayBeforeRestart(started, now), "crash " + crash);
        }
        assertFalse(crashLoop.looping());
    }

    @Test
    void aChildThatStayedUpForTheIntervalEndsTheCrashLoop() {
        long now = 0;
        for (int crash = 0; crash < 5; crash++) {
            crashLoop.started(now);
            now += SECOND / 10;
            crashLoop.delayBeforeRestart(now - SECOND / 10, now);
        }
        assertTrue(crashLoop.looping());

        crashLoop.started(now);
        long started = now;
        now += 11 * SECOND;
        crashLoop.stayedUp(started, now);

        assertFalse(crashLoop.looping());
        assertEquals(Duration.ofMillis(100), crashLoop.delayBeforeRestart(started, now));
    }
}

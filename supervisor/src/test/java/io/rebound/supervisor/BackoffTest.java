package io.rebound.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));

    @Test
    void delayIsTheBaseWhileNotCrashLooping() {
        assertEquals(Duration.ofMillis(100), backoff.delay(0));
    }

    @Test
    void delayDoublesWithEachCrashLoopStepUpToTheMaximum() {
        List<Long> millis = IntStream.rangeClosed(0, 9).mapToObj(backoff::delay).map(Duration::toMillis).toList();

        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 6400L, 10000L, 10000L, 10000L), millis);
    }

    @Test
    void delayStaysAtTheMaximumForHugeStepsWithoutOverflowing() {
        for (int step : new int[] {30, 61, 62, 63, 64, 1000, Integer.MAX_VALUE}) {
            assertEquals(Duration.ofSeconds(10), backoff.delay(step), "step " + step);
        }
    }

    @Test
    void aZeroBaseRestartsAtOnceEveryTime() {
        Backoff immediate = new Backoff(Duration.ZERO, Duration.ZERO);

        assertEquals(Duration.ZERO, immediate.delay(5));
    }

    @Test
    void aMaximumBelowTheBaseIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofMillis(1)));
    }
}

package io.rebound.check;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HealthTest {

    @Test
    void aNewServerIsDownUntilItsFirstPassingCheck() {
        Health health = Health.initial(2, 3);
        assertFalse(health.isUp());
        assertTrue(health.pass().isUp());
    }

    @Test
    void anUpServerGoesDownAfterExactlyFallConsecutiveFailures() {
        Health health = Health.initial(2, 3).pass();
        health = health.fail();
        assertTrue(health.isUp());
        health = health.fail();
        assertTrue(health.isUp());
        health = health.fail();
        assertFalse(health.isUp());
    }

    @Test
    void aDownServerComesBackAfterExactlyRiseConsecutivePasses() {
        Health health = Health.initial(2, 3).pass().fail().fail().fail();
        assertFalse(health.isUp());
        health = health.pass();
        assertFalse(health.isUp());
        assertTrue(health.pass().isUp());
    }

    @Test
    void aPassBetweenFailuresStartsTheCountOfFailuresAgain() {
        Health health = Health.initial(2, 3).pass().fail().fail().pass().fail().fail();
        assertTrue(health.isUp());
        assertFalse(health.fail().isUp());
    }

    @Test
    void aFailBetweenPassesStartsTheCountOfPassesAgain() {
        Health health = Health.initial(3, 3).pass().fail().fail().fail().pass().pass().fail().pass().pass();
        assertFalse(health.isUp());
        assertTrue(health.pass().isUp());
    }

    @Test
    void riseAndFallOfOneFlipOnEveryResult() {
        Health health = Health.initial(1, 1);
        assertFalse(health.isUp());
        assertTrue(health.pass().isUp());
        assertFalse(health.pass().fail().isUp());
    }

    @Test
    void valuesOutsideTheRangeAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Health(5, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> new Health(0, 0, 3));
    }
}

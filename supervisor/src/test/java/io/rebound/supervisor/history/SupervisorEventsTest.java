package io.rebound.supervisor.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SupervisorEventsTest {
    private final AtomicLong clock = new AtomicLong(1_000);

    @Test
    void eventsAreStampedWithTheSupervisorsClockAndKeptOldestFirst() {
        SupervisorEvents events = new SupervisorEvents(clock::get);
        events.restart("signal", "pid 10 ended with signal 9 (KILL); restart 1, a new proxy starts in 100ms");
        clock.set(2_000);
        events.reload("reloaded", "pid 11 serves the new configuration");

        assertEquals(List.of(
                new SupervisorEvent(1_000, SupervisorEvent.Kind.RESTART, "signal",
                        "pid 10 ended with signal 9 (KILL); restart 1, a new proxy starts in 100ms"),
                new SupervisorEvent(2_000, SupervisorEvent.Kind.RELOAD, "reloaded",
                        "pid 11 serves the new configuration")), events.all());
    }

    @Test
    void theRingKeepsOnlyTheLastCapacityEvents() {
        SupervisorEvents events = new SupervisorEvents(3, clock::get);
        for (int i = 1; i <= 5; i++) {
            events.restart("exit-code", "restart " + i);
        }
        assertEquals(List.of("restart 3", "restart 4", "restart 5"),
                events.all().stream().map(SupervisorEvent::detail).toList());
        assertEquals(100, SupervisorEvents.CAPACITY);
    }

    @Test
    void eventsJsonHasTimeKindOutcomeAndDetail_escaped() {
        SupervisorEvents events = new SupervisorEvents(clock::get);
        events.reload("invalid-config", "invalid configuration: \"x\"\nthe running proxy keeps serving");

        String json = HistoryJson.events(events.all());

        assertTrue(json.contains("{\"t\": 1000, \"time\": \"1970-01-01T00:00:01Z\", \"kind\": \"reload\", "
                + "\"outcome\": \"invalid-config\", \"detail\": \"invalid configuration: \\\"x\\\"\\nthe running "
                + "proxy keeps serving\"}"), json);
    }
}

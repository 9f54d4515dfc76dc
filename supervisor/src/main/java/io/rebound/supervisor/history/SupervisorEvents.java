package io.rebound.supervisor.history;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The last {@value #CAPACITY} restarts and reloads, oldest first: a timeline for the status page, while the log keeps
 * everything. Written by the supervisor's event loop and by a reload's completion; read by the admin listener.
 */
public final class SupervisorEvents {
    /** A hundred events cover hours of a crash loop at its longest delay, and a page shows no more. */
    public static final int CAPACITY = 100;

    private final int capacity;
    private final LongSupplier epochMillis;
    private final ArrayDeque<SupervisorEvent> events = new ArrayDeque<>();

    /** Events stamped with {@code epochMillis}, the supervisor's wall clock. */
    public SupervisorEvents(LongSupplier epochMillis) {
        this(CAPACITY, epochMillis);
    }

    SupervisorEvents(int capacity, LongSupplier epochMillis) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: at least 1)");
        }
        this.capacity = capacity;
        this.epochMillis = epochMillis;
    }

    public void restart(String reason, String detail) {
        add(new SupervisorEvent(epochMillis.getAsLong(), SupervisorEvent.Kind.RESTART, reason, detail));
    }

    public void reload(String result, String detail) {
        add(new SupervisorEvent(epochMillis.getAsLong(), SupervisorEvent.Kind.RELOAD, result, detail));
    }

    private synchronized void add(SupervisorEvent event) {
        if (events.size() == capacity) {
            events.removeFirst();
        }
        events.addLast(event);
    }

    public synchronized List<SupervisorEvent> all() {
        return List.copyOf(events);
    }
}

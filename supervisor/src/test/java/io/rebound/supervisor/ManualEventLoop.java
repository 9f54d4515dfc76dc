package io.rebound.supervisor;

import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * An {@link EventLoop} on a clock of the test's own: events are handled on the test's thread when the test moves the
 * clock, in the order of their due time (then of posting). Lets the supervisor's transitions be tested without
 * processes and without waiting.
 */
final class ManualEventLoop implements EventLoop {
    /** More events than any scenario needs: a loop that keeps posting is a bug, reported instead of hanging. */
    private static final int MAX_EVENTS_PER_ADVANCE = 100_000;

    private record Scheduled(long dueNanos, long order, Event event) {
    }

    private final Consumer<Event> handler;
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>(
            Comparator.comparingLong(Scheduled::dueNanos).thenComparingLong(Scheduled::order));
    private long nowNanos = Duration.ofHours(1).toNanos();
    private long posted;
    private boolean shutdown;

    ManualEventLoop(Consumer<Event> handler) {
        this.handler = handler;
    }

    @Override
    public void post(Event event) {
        postAfter(Duration.ZERO, event);
    }

    @Override
    public void postAfter(Duration delay, Event event) {
        if (!shutdown) {
            queue.add(new Scheduled(nowNanos + delay.toNanos(), posted++, event));
        }
    }

    @Override
    public long nanoTime() {
        return nowNanos;
    }

    @Override
    public long epochMillis() {
        return nowNanos / 1_000_000;
    }

    @Override
    public void shutdown() {
        shutdown = true;
        queue.clear();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    /** Moves the clock by {@code duration}, handling every event that falls due meanwhile, in order. */
    void advance(Duration duration) {
        long until = nowNanos + duration.toNanos();
        int handled = 0;
        while (!queue.isEmpty() && queue.peek().dueNanos() <= until) {
            Scheduled next = queue.poll();
            nowNanos = Math.max(nowNanos, next.dueNanos());
            handler.accept(next.event());
            if (++handled > MAX_EVENTS_PER_ADVANCE) {
                throw new IllegalStateException("more than " + MAX_EVENTS_PER_ADVANCE + " events in one advance");
            }
        }
        nowNanos = until;
    }

    /** Handles the events due now. */
    void runDue() {
        advance(Duration.ZERO);
    }
}

package io.rebound.supervisor;

import java.time.Duration;

/**
 * The supervisor's one thread and its clock. Every event is handled on it, one at a time; nothing else touches the
 * supervisor's state. {@link ExecutorEventLoop} is the real one; tests use a loop with a clock of their own.
 */
interface EventLoop {

    /** Handles {@code event} on the loop, after the events posted before it. */
    void post(Event event);

    /** Handles {@code event} on the loop once {@code delay} has passed. */
    void postAfter(Duration delay, Event event);

    /** The monotonic clock of all durations ({@link System#nanoTime()} on the real loop). */
    long nanoTime();

    /** Wall-clock time, for display only. */
    long epochMillis();

    /** Handles no more events; pending timers are dropped. */
    void shutdown();

    boolean isShutdown();
}

package io.rebound.proxy;

import io.undertow.util.WorkerUtils;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

/**
 * The entries of one I/O thread that expire after the same fixed time, in the order of their deadlines, with one timer
 * for the earliest. Because every entry gets the same time, the newest entry always has the latest deadline: adding
 * and removing are O(1) on a linked list, and the timer is armed again only when it fires (about once per timeout
 * while entries keep coming), instead of one timer in XNIO's tree per entry. Touched only by its thread.
 */
final class DeadlineQueue {
    private static final Logger log = LoggerFactory.getLogger(DeadlineQueue.class);
    private static final long NANOS_PER_MILLI = 1_000_000;

    /** Something that expires; one queue at a time. */
    abstract static class Entry {
        private long deadlineNanos;
        private Entry previous;
        private Entry next;
        private boolean queued;

        /** Runs on the queue's thread once the deadline has passed, after the entry left the queue. */
        abstract void expired();

        /** Whether the deadline has passed at {@code nanos} ({@link System#nanoTime()}); false before it was added. */
        final boolean passed(long nanos) {
            return deadlineNanos != 0 && nanos - deadlineNanos >= 0;
        }
    }

    private final XnioIoThread thread;
    private final long timeoutNanos;
    private final Runnable fire = this::fire;
    private Entry first;
    private Entry last;
    private XnioExecutor.Key timer;

    DeadlineQueue(XnioIoThread thread, long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeoutNanos: " + timeoutNanos + " (expected: > 0)");
        }
        this.thread = thread;
        this.timeoutNanos = timeoutNanos;
    }

    /** Adds {@code entry}, expiring the queue's timeout after {@code nowNanos}. */
    void add(Entry entry, long nowNanos) {
        if (entry.queued) {
            throw new IllegalStateException("entry already queued");
        }
        // 0 means "not added" to passed(): a deadline that happens to be 0 moves on by a nanosecond.
        long deadline = nowNanos + timeoutNanos;
        entry.deadlineNanos = deadline == 0 ? 1 : deadline;
        entry.queued = true;
        entry.previous = last;
        entry.next = null;
        if (last == null) {
            first = entry;
        } else {
            last.next = entry;
        }
        last = entry;
        if (timer == null) {
            arm(nowNanos);
        }
    }

    /** Takes {@code entry} out, if it is in; it will not expire. */
    void remove(Entry entry) {
        if (!entry.queued) {
            return;
        }
        entry.queued = false;
        if (entry.previous == null) {
            first = entry.next;
        } else {
            entry.previous.next = entry.next;
        }
        if (entry.next == null) {
            last = entry.previous;
        } else {
            entry.next.previous = entry.previous;
        }
        entry.previous = null;
        entry.next = null;
    }

    /** Entries in the queue; walks it, for tests. */
    int size() {
        int size = 0;
        for (Entry entry = first; entry != null; entry = entry.next) {
            size++;
        }
        return size;
    }

    private void fire() {
        timer = null;
        long now = System.nanoTime();
        while (first != null && first.passed(now)) {
            Entry expired = first;
            remove(expired);
            try {
                expired.expired();
            } catch (RuntimeException e) {
                log.error("An expired entry failed", e);
            }
        }
        // An expiry may have added entries (a pipelined request served at once) and armed the timer for them.
        if (timer == null) {
            arm(now);
        }
    }

    /** Arms the timer for the earliest deadline, if any: it stays armed until it fires, whatever is removed. */
    private void arm(long nowNanos) {
        if (first == null) {
            return;
        }
        long millis = Math.max(1, (first.deadlineNanos - nowNanos + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI);
        timer = WorkerUtils.executeAfter(thread, fire, millis, TimeUnit.MILLISECONDS);
    }
}

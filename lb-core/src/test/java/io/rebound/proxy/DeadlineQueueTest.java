package io.rebound.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

/** {@link DeadlineQueue} on a real XNIO I/O thread, as the proxy runs it. */
class DeadlineQueueTest {
    private static final long TIMEOUT_NANOS = Duration.ofMillis(200).toNanos();

    private final XnioWorker worker = Xnio.getInstance().createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 1));
    private final XnioIoThread thread = worker.getIoThread(0);
    private final DeadlineQueue queue = new DeadlineQueue(thread, TIMEOUT_NANOS);
    private final List<String> expired = new CopyOnWriteArrayList<>();

    DeadlineQueueTest() throws Exception {
    }

    @AfterEach
    void stop() {
        worker.shutdownNow();
    }

    @Test
    void entriesExpireInTheOrderTheyWereAddedAndNoneBeforeItsTime() throws Exception {
        CountDownLatch all = new CountDownLatch(3);
        long[] added = new long[3];
        long[] fired = new long[3];
        run(() -> {
            long base = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                int index = i;
                added[index] = base + index * Duration.ofMillis(30).toNanos(); // deadlines 30 ms apart
                queue.add(entry("e" + index, () -> {
                    fired[index] = System.nanoTime();
                    all.countDown();
                }), added[index]);
            }
        });
        assertTrue(all.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("e0", "e1", "e2"), expired);
        for (int i = 0; i < 3; i++) {
            assertTrue(fired[i] - added[i] >= TIMEOUT_NANOS, "entry " + i + " expired early");
        }
        assertEquals(0, call(queue::size));
    }

    @Test
    void aRemovedEntryNeverExpiresAndTheOnesAfterItStillDo() throws Exception {
        CountDownLatch last = new CountDownLatch(1);
        DeadlineQueue.Entry first = entry("first", () -> { });
        DeadlineQueue.Entry second = entry("second", last::countDown);
        run(() -> {
            queue.add(first, System.nanoTime());
            queue.add(second, System.nanoTime());
            queue.remove(first);
            queue.remove(first); // twice: an exchange can end after it was timed out
        });
        assertTrue(last.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("second"), expired);
    }

    @Test
    void anEntryAddedWhileAnotherExpiresGetsItsOwnFullTime() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        long[] addedLate = new long[1];
        long[] firedLate = new long[1];
        DeadlineQueue.Entry late = entry("late", () -> {
            firedLate[0] = System.nanoTime();
            both.countDown();
        });
        DeadlineQueue.Entry early = entry("early", () -> {
            // A pipelined request served within the expiry of the one before it.
            addedLate[0] = System.nanoTime();
            queue.add(late, addedLate[0]);
            both.countDown();
        });
        run(() -> queue.add(early, System.nanoTime()));
        assertTrue(both.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("early", "late"), expired);
        assertTrue(firedLate[0] - addedLate[0] >= TIMEOUT_NANOS);
    }

    @Test
    void passedIsFalseBeforeTheEntryIsAddedAndTrueFromItsDeadline() throws Exception {
        DeadlineQueue.Entry entry = entry("e", () -> { });
        assertFalse(entry.passed(System.nanoTime()));
        long now = System.nanoTime();
        run(() -> queue.add(entry, now));
        assertFalse(entry.passed(now + TIMEOUT_NANOS - 1));
        assertTrue(entry.passed(now + TIMEOUT_NANOS));
    }

    private DeadlineQueue.Entry entry(String name, Runnable onExpiry) {
        return new DeadlineQueue.Entry() {
            @Override
            void expired() {
                expired.add(name);
                onExpiry.run();
            }
        };
    }

    private void run(Runnable task) throws Exception {
        call(() -> {
            task.run();
            return null;
        });
    }

    private <T> T call(Callable<T> task) throws Exception {
        FutureTask<T> future = new FutureTask<>(task);
        thread.execute(future);
        return future.get(5, TimeUnit.SECONDS);
    }
}

package io.rebound.supervisor;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The real {@link EventLoop}: one daemon thread, {@link System#nanoTime()}. */
final class ExecutorEventLoop implements EventLoop {
    private static final Logger log = LoggerFactory.getLogger(ExecutorEventLoop.class);

    private final ScheduledThreadPoolExecutor thread;
    private final Consumer<Event> handler;

    ExecutorEventLoop(Consumer<Event> handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.thread = new ScheduledThreadPoolExecutor(1, task -> {
            Thread loop = new Thread(task, "supervisor-loop");
            loop.setDaemon(true);
            return loop;
        });
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        thread.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    @Override
    public void post(Event event) {
        try {
            thread.execute(() -> handler.accept(event));
        } catch (RejectedExecutionException e) {
            log.debug("Supervisor stopped; ignoring {}", event);
        }
    }

    @Override
    public void postAfter(Duration delay, Event event) {
        try {
            thread.schedule(() -> handler.accept(event), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("Supervisor stopped; not scheduling {}", event);
        }
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long epochMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public void shutdown() {
        thread.shutdown();
    }

    @Override
    public boolean isShutdown() {
        return thread.isShutdown();
    }
}

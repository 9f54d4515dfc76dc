package io.rebound.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that the supervising process is gone, so that no orphaned proxy keeps serving: either by end-of-file on a
 * pipe from the supervisor (standard input, {@code --supervised}), or, when standard input is the supervisor's
 * listening socket ({@code --supervised-by PID}), by the parent process id no longer being the supervisor's: a
 * process whose parent dies is re-parented at once (to init or a subreaper).
 */
final class SupervisorWatch {
    private static final Logger log = LoggerFactory.getLogger(SupervisorWatch.class);
    /** How often the parent is looked up; design.md wants an orphan gone within a second. */
    static final Duration PARENT_POLL = Duration.ofMillis(100);

    private SupervisorWatch() {
    }

    /** Runs {@code onGone} once {@code pipe} reaches end-of-file. */
    static void untilEndOf(InputStream pipe, Runnable onGone) {
        start(() -> {
            byte[] buffer = new byte[256];
            try {
                while (pipe.read(buffer) >= 0) {
                    // the supervisor sends nothing; anything it does send is ignored
                }
            } catch (IOException e) {
                log.warn("Reading from the supervisor failed: {}", e.getMessage());
            }
            log.warn("Standard input closed: the supervisor is gone, stopping");
            onGone.run();
        });
    }

    /** Runs {@code onGone} once process {@code supervisorPid} is no longer this process's parent. */
    static void whileParentIs(long supervisorPid, Runnable onGone) {
        start(() -> {
            try {
                while (parentPid() == supervisorPid) {
                    Thread.sleep(PARENT_POLL.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            log.warn("The supervisor (pid {}) is gone: the parent process is now pid {}; stopping", supervisorPid,
                    parentPid());
            onGone.run();
        });
    }

    private static long parentPid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    private static void start(Runnable watch) {
        Thread watcher = new Thread(watch, "rebound-supervisor-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}

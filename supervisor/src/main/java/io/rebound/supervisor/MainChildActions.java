package io.rebound.supervisor;

import static io.rebound.supervisor.Coordinator.format;

import io.rebound.config.ConfigText;
import io.rebound.supervisor.Event.ChildEnded;
import io.rebound.supervisor.Event.StandbyDue;
import io.rebound.supervisor.Event.StopRequested;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@link Coordinator}'s table does about the main child, the standby and the retired children: launch,
 * running, kill, end and restart, promotion of the standby, and the graceful stop.
 */
final class MainChildActions {
    private static final Logger log = LoggerFactory.getLogger(MainChildActions.class);

    private final Coordinator c;

    MainChildActions(Coordinator coordinator) {
        this.c = coordinator;
    }

    void launch(String reason) {
        c.book.started(c.loop.nanoTime());
        // A retired child may still hold rebound.admin.bind while it drains.
        ChildLifecycle child = c.launch(Role.MAIN, !c.retired.isEmpty());
        c.mainChild = child;
        c.transition(SupervisorState.STARTING, reason + "; launched pid " + child.pid() + ", waiting for "
                + "/health/ready at " + child.child().admin() + " up to " + format(c.timings.startTimeout()));
    }

    void restartDue(Event due) {
        launch("restart delay " + format(c.nextRestartDelay) + " passed");
    }

    void running(Event event) {
        enterRunning("pid " + c.mainChild.pid() + (c.mainChild.ready() ? " is ready"
                : " is started, though no server is up: counted as running, since restarting it would only add an "
                + "outage"));
    }

    /** RUNNING: the main child serves; a standby is launched if one is wanted, deferred reloads begin. */
    void enterRunning(String reason) {
        c.transition(SupervisorState.RUNNING, reason);
        fillStandby();
        c.reloadsDeferred();
    }

    void killed(Event event) {
        c.transition(SupervisorState.KILLING, "pid " + c.mainChild.pid() + " "
                + c.mainChild.killReason().map(RestartReason::label).orElse("killed") + "; waiting for its end");
    }

    /** The main child is gone, by itself or killed for a failure: restart, promote the standby, or stay down. */
    void ended(Event event) {
        ChildLifecycle ended = ((ChildEnded) event).child();
        ChildExit exit = ended.exit();
        c.mainChild = null;
        c.book.ended(exit);
        boolean killed = ended.killReason().isPresent();
        RestartReason reason = ended.killReason().orElse(RestartReason.of(exit));
        String what = "pid " + exit.pid() + " ended with " + exit.describe();
        AfterExit decision = AfterExit.decide(c.settings.restarts().policy(), c.settings.restarts().preventExitStatus(), exit,
                killed);
        if (decision == AfterExit.RESTART && c.standby.running()) {
            Duration delay = c.book.restart(reason, ended.child().startedNanos(), c.loop.nanoTime());
            promoteStandby(what + "; restart " + c.book.total() + " (" + reason.label() + ")", delay);
            return;
        }
        switch (decision) {
            case RESTART -> {
                c.nextRestartDelay = c.book.restart(reason, ended.child().startedNanos(), c.loop.nanoTime());
                String loopNote = c.book.looping() ? "; crash-looping (" + c.settings.restarts().startLimit().burst()
                        + " starts within " + format(c.settings.restarts().startLimit().interval()) + "), so the delay grows up to "
                        + format(c.settings.restarts().maxDelay()) : "";
                Duration delay = c.nextRestartDelay;
                c.transition(SupervisorState.BACKOFF, what + "; restart " + c.book.total() + " (" + reason.label()
                        + ") in " + format(delay) + loopNote);
                c.nextRestartDelay = delay;
                c.restartAfter(delay);
            }
            case STAY_STOPPED -> c.transition(SupervisorState.STOPPED, what + "; restart = "
                    + ConfigText.word(c.settings.restarts().policy()) + ": not restarted");
            case STAY_FAILED -> c.transition(SupervisorState.FATAL, what + "; " + whyNoRestart(exit, killed)
                    + ": not restarted; the supervisor stays up; fix the cause and restart the supervisor");
        }
    }

    private String whyNoRestart(ChildExit exit, boolean killed) {
        if (!killed && c.settings.restarts().preventExitStatus().contains(exit.exitValue())) {
            return "exit code " + exit.exitValue() + " is in restart-prevent-exit-status"
                    + (exit.exitValue() == 78 ? " (78: invalid configuration)" : "");
        }
        return "restart = " + ConfigText.word(c.settings.restarts().policy());
    }

    // The standby.

    void fillStandby() {
        if (!c.standby.needsLaunch()) {
            return;
        }
        if (!c.launcher.sharesListener()) {
            log.warn("No standby proxy: the children do not share the supervisor's listening socket");
            c.standby.restartAfterDelay(); // never due: no standby in this mode
            return;
        }
        // Not a start of the main child: a standby counts toward the crash loop only if it crashes.
        ChildLifecycle launched = c.launch(Role.STANDBY, true);
        c.standby.hold(launched);
        log.info("Standby proxy pid {} launched on the same listening socket; waiting for its /health/ready at {}",
                launched.pid(), launched.child().admin());
    }

    void standbyRunning() {
        c.standby.child().ifPresent(standby -> log.info("Standby proxy pid {} {} and serves beside pid {}",
                standby.pid(), standby.ready() ? "is ready" : "is started (no server is up yet)",
                c.mainChild == null ? "(none)" : Long.toString(c.mainChild.pid())));
    }

    /** A standby came up while the main child waits for its restart delay: it is the main proxy now. */
    void promoteWaitingStandby() {
        promoteStandby("the main proxy was waiting for its restart", null);
    }

    private void promoteStandby(String why, Duration nextStandbyDelay) {
        ChildLifecycle promoted = c.standby.take().orElseThrow();
        promoted.becomes(Role.MAIN, why);
        c.mainChild = promoted;
        c.book.started(c.loop.nanoTime());
        Duration delay = nextStandbyDelay != null ? nextStandbyDelay : c.settings.restarts().delay();
        c.standby.restartAfterDelay();
        c.loop.postAfter(delay, new StandbyDue());
        enterRunning("the standby pid " + promoted.pid() + ", already serving, is the main proxy now: " + why
                + "; a new standby in " + format(delay));
    }

    /** A standby ended by itself, or killed for a failure: counted, and replaced after the restart delay. */
    void standbyEnded(Event event) {
        ChildLifecycle ended = c.standby.take().orElseThrow();
        ChildExit exit = ended.exit();
        c.book.ended(exit);
        boolean killed = ended.killReason().isPresent();
        if (AfterExit.decide(c.settings.restarts().policy(), c.settings.restarts().preventExitStatus(), exit, killed)
                != AfterExit.RESTART) {
            log.warn("Standby proxy pid {} ended with {}; not replaced (restart = {})", exit.pid(), exit.describe(),
                    ConfigText.word(c.settings.restarts().policy()));
            return;
        }
        RestartReason reason = ended.killReason().orElse(RestartReason.of(exit));
        long startedNanos = ended.child().startedNanos();
        c.book.started(startedNanos); // it crashed: its start counts toward the crash loop
        Duration delay = c.book.restart(reason, startedNanos, c.loop.nanoTime());
        log.info("Standby proxy pid {} ended with {}; restart {} ({}) in {}", exit.pid(), exit.describe(),
                c.book.total(), reason.label(), format(delay));
        c.standby.restartAfterDelay();
        c.loop.postAfter(delay, new StandbyDue());
    }

    void standbyDue() {
        c.standby.restartDue();
        if (c.state() == SupervisorState.RUNNING) {
            fillStandby();
        } // otherwise the next RUNNING launches it
    }

    // Retired children and the stop.

    void retiredEnded(Event event) {
        c.retired.ended(((ChildEnded) event).child());
        if (c.state() == SupervisorState.STOPPING) {
            stoppedIfLast("the last retired child ended");
        }
    }

    /** SIGTERM to every child (SIGKILL after the stop timeout); no restart happens during a stop. */
    void stop(Event event) {
        String reason = ((StopRequested) event).reason();
        c.standby.take().ifPresent(standby -> c.retired.retire(standby, false, reason));
        ChildLifecycle child = c.mainChild;
        if (child == null && c.retired.isEmpty()) {
            c.transition(SupervisorState.STOPPED, reason + "; no child process");
            c.stopDone = true;
            return;
        }
        if (child != null) {
            child.terminate(reason);
        }
        c.transition(SupervisorState.STOPPING, reason + "; SIGTERM sent to " + (child == null ? "" : "pid "
                + child.pid() + " ") + (c.retired.isEmpty() ? "" : "(retired pids " + c.retired.pids()
                + " are draining) ") + "SIGKILL after " + format(c.settings.stopTimeout()));
    }

    void stopOnceKilled(Event event) {
        c.standby.take().ifPresent(standby -> c.retired.retire(standby, false, "stopping"));
        c.transition(SupervisorState.STOPPING, ((StopRequested) event).reason() + "; SIGKILL already sent to pid "
                + c.mainChild.pid());
    }

    void endedInStop(Event event) {
        ChildExit exit = ((ChildEnded) event).child().exit();
        c.mainChild = null;
        c.book.ended(exit);
        stoppedIfLast("pid " + exit.pid() + " ended with " + exit.describe());
    }

    private void stoppedIfLast(String what) {
        if (c.mainChild == null && c.retired.isEmpty()) {
            c.transition(SupervisorState.STOPPED, what + "; supervisor stopped");
            c.stopDone = true;
        } else {
            log.info("{}; waiting for {} more child(ren) to end", what, c.retired.pids().size()
                    + (c.mainChild == null ? 0 : 1));
        }
    }
}

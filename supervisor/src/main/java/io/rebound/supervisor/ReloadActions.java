package io.rebound.supervisor;

import static io.rebound.supervisor.Coordinator.format;

import io.rebound.supervisor.Event.ChildEnded;
import io.rebound.supervisor.Event.ChildKilled;
import io.rebound.supervisor.Event.MainReadiness;
import io.rebound.supervisor.Event.ReloadRequested;
import io.rebound.supervisor.Event.StopRequested;
import io.rebound.supervisor.Prober.Probe;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@link Coordinator}'s table does about reloads: a new proxy (the successor) starts beside the running one
 * on the same listening socket with the configuration as it is now; once it runs it becomes the main proxy and the
 * old one drains. A successor that runs without any server up replaces the old proxy only if that one has none up
 * either: a wrong server list never replaces a working proxy, and a right one can be loaded during an outage.
 */
final class ReloadActions {
    private static final Logger log = LoggerFactory.getLogger(ReloadActions.class);
    /** States in which a reload waits for a proxy to run: one launched before the request gets ready. */
    private static final Set<SupervisorState> DEFERRING = EnumSet.of(SupervisorState.STARTING,
            SupervisorState.RELOADING, SupervisorState.RUNNING);

    private final Coordinator c;
    private final DeferredReloads deferred = new DeferredReloads();
    private ChildLifecycle successor;
    private CompletableFuture<ReloadOutcome> pending;
    private long done;

    ReloadActions(Coordinator coordinator) {
        this.c = coordinator;
    }

    /** No proxy runs and none is coming: start one with the file as it is now. */
    void launchWhileIdle(Event event) {
        ReloadRequested reload = (ReloadRequested) event;
        SupervisorState was = c.state();
        c.mainActions().launch(reload.reason() + " while no proxy ran");
        c.answers.give(reload.result(), ReloadOutcome.reloaded("no proxy was running (" + was.activeState()
                + "); started pid " + c.mainChild.pid() + " with the new configuration"));
    }

    void defer(Event event) {
        ReloadRequested reload = (ReloadRequested) event;
        ChildLifecycle starting = successor != null ? successor : c.mainChild;
        log.info("Reload ({}) deferred: pid {} was started before it and does not run yet; the reload begins once "
                + "a proxy runs", reload.reason(), starting.pid());
        deferred.add(reload);
    }

    void refuse(Event event) {
        c.answers.give(((ReloadRequested) event).result(), nothingToReload(c.state()));
    }

    /** Begins one reload for the requests deferred while a proxy got ready. */
    void beginDeferred() {
        deferred.takeAsOne().ifPresent(this::begin);
    }

    /** Answers deferred requests when the supervisor moves to a state from which no proxy will run for them. */
    void stateChanged(SupervisorState to) {
        if (DEFERRING.contains(to)) {
            return;
        }
        ReloadOutcome refused = to == SupervisorState.STOPPING || to == SupervisorState.STOPPED
                ? ReloadOutcome.refused("the supervisor is stopping") : nothingToReload(to);
        deferred.takeAll().forEach(request -> c.answers.give(request.result(), refused));
    }

    void begin(Event event) {
        ReloadRequested reload = (ReloadRequested) event;
        if (!c.launcher.sharesListener()) {
            c.answers.give(reload.result(), ReloadOutcome.refused("a reload needs the listening socket shared by the "
                    + "supervisor (rebound.supervisor.share-listener = on): a new proxy cannot bind rebound.bind "
                    + "while the running one holds it; restart the supervisor instead"));
            return;
        }
        successor = c.launch(Role.SUCCESSOR, true);
        pending = reload.result();
        c.transition(SupervisorState.RELOADING, reload.reason() + "; launched pid " + successor.pid()
                + " with the configuration as it is now, waiting for it to run (up to "
                + format(c.timings.startTimeout()) + "); pid " + c.mainChild.pid() + " serves meanwhile");
    }

    /** The successor runs: it takes over if ready; if only started, the running proxy's readiness decides. */
    void successorRunning() {
        if (successor.ready()) {
            promote("ready");
            return;
        }
        long askedIn = c.epoch();
        c.prober.ask(c.mainChild.child().admin(), Probe.READY, c.timings.liveness().timeout())
                .thenAccept(outcome -> c.loop.post(new MainReadiness(askedIn, outcome)));
    }

    void mainAnswered(Event event) {
        MainReadiness answer = (MainReadiness) event;
        if (!answer.outcome().passed()) {
            promote("started; no server is up for either proxy (" + answer.outcome().detail() + ")");
            return;
        }
        ChildLifecycle refused = successor;
        c.retired.retire(refused, true, "sees no server up while pid " + c.mainChild.pid() + " does");
        finish(ReloadOutcome.failed("the new proxy pid " + refused.pid() + " sees no server up while pid "
                + c.mainChild.pid() + " does: the new server list is not loaded, so that it cannot replace a working "
                + "proxy; pid " + c.mainChild.pid() + " keeps serving the previous configuration"));
        c.mainActions().enterRunning("reload refused; keeps serving");
    }

    private void promote(String how) {
        ChildLifecycle previous = c.mainChild;
        c.retired.retire(previous, false, "replaced by pid " + successor.pid());
        successor.becomes(Role.MAIN, "reloaded");
        c.mainChild = successor;
        done++;
        // A standby runs the previous configuration: the next RUNNING launches one with the new one.
        c.standby.take().ifPresent(standby -> c.retired.retire(standby, false, "runs the previous configuration"));
        finish(ReloadOutcome.reloaded("pid " + successor.pid() + " serves the new configuration; pid "
                + previous.pid() + " stopped accepting and drains its requests (SIGKILL after "
                + format(c.settings.stopTimeout()) + ")"));
        c.mainActions().enterRunning("reloaded, pid " + c.mainChild.pid() + " " + how + "; took over from pid "
                + previous.pid() + ", which drains");
    }

    /** The successor was killed (neither ready nor started in time) or ended before it ran. */
    void failed(Event event) {
        ChildLifecycle failed = successor;
        String what;
        if (event instanceof ChildKilled) {
            c.retired.retire(failed, true, "reload failed");
            what = "was not ready within start-timeout " + format(c.timings.startTimeout()) + "; it was killed";
        } else {
            ChildExit exit = ((ChildEnded) event).child().exit();
            what = "ended with " + exit.describe() + (exit.exitValue() == 78 ? " (78: invalid configuration)" : "")
                    + " before it ran (see its log lines above)";
        }
        finish(ReloadOutcome.failed("the new proxy pid " + failed.pid() + " " + what + ", and pid "
                + c.mainChild.pid() + " keeps serving the previous configuration"));
        c.mainActions().enterRunning("reload failed; keeps serving");
    }

    /** The running proxy ended during the reload: the successor takes its place, running or not yet. */
    void successorTakesOver(Event event) {
        ChildLifecycle ended = ((ChildEnded) event).child();
        ChildExit exit = ended.exit();
        c.book.ended(exit);
        c.book.replaced(ended.killReason().orElse(RestartReason.of(exit)));
        ChildLifecycle next = successor;
        next.becomes(Role.MAIN, "pid " + exit.pid() + " ended during the reload");
        c.mainChild = next;
        finish(ReloadOutcome.reloaded("the previous proxy pid " + exit.pid() + " ended with " + exit.describe()
                + " during the reload; pid " + next.pid() + " with the new configuration takes its place"));
        if (next.running()) {
            c.mainActions().enterRunning("pid " + exit.pid() + " ended with " + exit.describe() + " during the reload; "
                    + "pid " + next.pid() + " runs already");
        } else {
            c.transition(SupervisorState.STARTING, "pid " + exit.pid() + " ended with " + exit.describe()
                    + " during the reload; waiting for pid " + next.pid());
        }
    }

    void abandonAndStop(Event event) {
        String reason = ((StopRequested) event).reason();
        c.retired.retire(successor, false, reason);
        finish(ReloadOutcome.failed("the supervisor is stopping (" + reason + ")"));
        c.mainActions().stop(event);
    }

    private void finish(ReloadOutcome outcome) {
        c.answers.give(pending, outcome);
        pending = null;
        successor = null;
    }

    /** Reloads that replaced the main proxy. */
    long done() {
        return done;
    }

    /** A reload in a state where no child runs and one is coming (after a delay, or a kill). */
    private static ReloadOutcome nothingToReload(SupervisorState in) {
        return ReloadOutcome.refused("no proxy is running to reload (" + in.activeState() + "); a proxy started "
                + "from now on reads the configuration anew anyway");
    }
}

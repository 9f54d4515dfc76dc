package io.rebound.cli;

import io.rebound.admin.AdminSettings;
import io.rebound.config.ConfigException;
import io.rebound.config.ConfigText;
import io.rebound.supervisor.ReloadOutcome;
import io.rebound.supervisor.Supervisor;
import io.rebound.supervisor.SupervisorSettings;
import io.rebound.supervisor.runtime.ServerControl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reload of the configuration file the supervisor was started with ({@code rebound reload}, SIGHUP): the file is
 * validated whole first, and an invalid one is refused, naming every problem, while the running proxy keeps serving.
 * A reload replaces the proxy; what the supervisor itself holds stays as it was at start: the listening socket
 * ({@code rebound.bind}), the admin address it probes ({@code rebound.admin.bind}) and the token it probes with
 * ({@code rebound.admin.token-file}) cannot change (a reload that changes them is refused), and changes under
 * {@code rebound.supervisor} take effect when the supervisor restarts.
 */
final class ConfigReload {
    private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

    private final Path file;
    private final SupervisorSettings running;
    private final Supervisor supervisor;
    private final ServerControl servers;

    ConfigReload(Path file, SupervisorSettings running, Supervisor supervisor, ServerControl servers) {
        this.file = file;
        this.running = running;
        this.supervisor = supervisor;
        this.servers = servers;
    }

    /**
     * Validates the file and, when it may be applied, reloads; never completes exceptionally. Once the new proxy
     * serves, the runtime state of servers it no longer has is dropped, and the log line names those not ready.
     */
    CompletableFuture<ReloadOutcome> reload(String reason) {
        log.info("Reload requested ({}): checking {}", reason, file);
        WholeConfig.Checked checked = WholeConfig.check(file);
        CompletableFuture<ReloadOutcome> outcome = refusal(checked).map(CompletableFuture::completedFuture)
                .orElseGet(() -> supervisor.reload(reason));
        return outcome.whenComplete((done, never) -> {
            String notReady = "";
            if (done.result() == ReloadOutcome.Result.RELOADED) {
                notReady = servers.reloaded(checked.proxy().orElseThrow().backend().servers());
            }
            logOutcome(done, notReady);
            supervisor.events().reload(ConfigText.word(done.result()), done.message() + " (" + reason + ")");
        });
    }

    /** Why the file on disk cannot be applied by a reload, if it cannot. */
    private Optional<ReloadOutcome> refusal(WholeConfig.Checked checked) {
        if (!checked.problems().isEmpty()) {
            return Optional.of(ReloadOutcome.invalidConfig("invalid configuration " + file + ": "
                    + new ConfigException(checked.problems()).getMessage() + "\nthe running proxy keeps serving"));
        }
        SupervisorSettings next = checked.settings().orElseThrow();
        List<String> unchangeable = new ArrayList<>();
        if (!next.listener().bind().equals(running.listener().bind())) {
            unchangeable.add("rebound.bind: " + running.listener().bind() + " -> " + next.listener().bind()
                    + " (the supervisor keeps its listening socket across reloads)");
        }
        AdminSettings nextAdmin = next.child().admin();
        AdminSettings runningAdmin = running.child().admin();
        if (!nextAdmin.bind().equals(runningAdmin.bind())) {
            unchangeable.add("rebound.admin.bind: " + runningAdmin.bind() + " -> " + nextAdmin.bind()
                    + " (the supervisor probes the proxy there)");
        }
        if (!nextAdmin.token().equals(runningAdmin.token())) {
            unchangeable.add("the token of rebound.admin.token-file (the supervisor probes the proxy with it)");
        }
        if (!unchangeable.isEmpty()) {
            return Optional.of(ReloadOutcome.refused("a reload cannot change " + String.join("; ", unchangeable)
                    + "; restart the supervisor to apply that; the running proxy keeps serving"));
        }
        if (!next.equals(running)) {
            log.warn("Changes under rebound.supervisor take effect when the supervisor restarts, not on a reload");
        }
        return Optional.empty();
    }

    /** Every outcome goes to the log once: a SIGHUP has no one else to tell. */
    private static void logOutcome(ReloadOutcome outcome, String notReady) {
        switch (outcome.result()) {
            case RELOADED -> log.info("Reload done: {}{}", outcome.message(),
                    notReady.isEmpty() ? "" : "; servers not ready: " + notReady);
            case INVALID_CONFIG, REFUSED -> log.error("Reload refused: {}", outcome.message());
            case FAILED -> log.error("Reload failed: {}", outcome.message());
        }
    }
}

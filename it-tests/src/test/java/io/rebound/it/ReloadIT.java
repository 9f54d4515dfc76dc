package io.rebound.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reload against the Apache containers and the packaged distribution: {@code rebound reload} starts a new
 * proxy on the supervisor's listening socket and drains the old one, so a client sending a request every 10 ms on a
 * new connection sees no refusal and no failure across several reloads.
 */
class ReloadIT {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadIT.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int RELOADS = 3;

    @RegisterExtension
    static final ApachesExtension APACHES = new ApachesExtension();
    @RegisterExtension
    final ReboundExtension reboundExtension = new ReboundExtension(APACHES);

    @Test
    void reloadsUnderLoad_replaceTheProxy_withoutARefusedOrFailedRequest() throws Exception {
        ReboundProcess rebound = reboundExtension.rebound();
        double restartsBefore = rebound.supervisorAdmin().restartsTotal();
        List<SequentialLoad.Outcome> outcomes;
        try (SequentialLoad load = SequentialLoad.start(rebound.proxyPort(), TIMEOUT, 20_000, Duration.ofSeconds(120))) {
            load.awaitMore(10, TIMEOUT);
            for (int reload = 1; reload <= RELOADS; reload++) {
                long before = rebound.proxyPid();
                CommandResult result = rebound.reload();
                assertEquals(0, result.exitCode(), result.output() + rebound.logTail(40));
                await("the old proxy " + before + " drained and gone")
                        .atMost(TIMEOUT).ignoreExceptionsInstanceOf(Exception.class)
                        .until(rebound::proxyPids, pids -> pids.size() == 1 && pids.get(0) != before);
                load.awaitMore(20, TIMEOUT);
                LOG.info("reload {}: proxy {} replaced by {}: {}", reload, before, rebound.proxyPid(),
                        result.output().strip());
            }
            outcomes = load.stop();
        }
        List<SequentialLoad.Outcome> failed = outcomes.stream().filter(outcome -> !outcome.ok()).toList();
        LOG.info("{} reloads under {} requests: {} not answered {}", RELOADS, outcomes.size(), failed.size(), failed);
        assertEquals(List.of(), failed, "requests refused or failed across the reloads");
        assertEquals(restartsBefore, rebound.supervisorAdmin().restartsTotal(), "a reload is not a restart");
        CommandResult status = rebound.status();
        assertTrue(status.output().contains("Reloads: " + RELOADS), status.output());
        assertTrue(status.output().contains("Active: active (running)"), status.output());
    }
}

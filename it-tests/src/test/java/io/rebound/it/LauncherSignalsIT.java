package io.rebound.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * bin/rebound started the way operators and their scripts often start it: under {@code nohup} (SIGHUP ignored) or as
 * a background job of a script (SIGINT ignored). A JVM cannot handle a signal it started with ignored, so the
 * launcher sets them back to default; SIGHUP still reloads and SIGINT still stops, as with nginx or HAProxy.
 */
class LauncherSignalsIT {
    /** Ends by exec'ing its arguments with SIGHUP and SIGINT ignored, as nohup and a script's {@code &} leave them. */
    private static final List<String> WITH_HUP_AND_INT_IGNORED =
            List.of("sh", "-c", "trap '' HUP INT; exec \"$0\" \"$@\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final ApachesExtension APACHES = new ApachesExtension();

    @Test
    void startedWithSighupAndSigintIgnored_sighupStillReloadsAndSigintStillStopsGracefully() {
        try (ReboundProcess rebound = ReboundProcess.start("LauncherSignalsIT",
                ReboundConfig.forServers(APACHES.cluster().servers()), WITH_HUP_AND_INT_IGNORED)) {
            long proxy = rebound.proxyPid();

            rebound.signalSupervisor("HUP");

            await("the proxy replaced by a reload")
                    .atMost(TIMEOUT).ignoreExceptionsInstanceOf(Exception.class)
                    .until(rebound::proxyPids, pids -> pids.size() == 1 && pids.get(0) != proxy);
            CommandResult status = rebound.status();
            assertTrue(status.output().contains("Reloads: 1"), status.output() + rebound.logTail(40));

            rebound.signalSupervisor("INT");

            assertEquals(Optional.of(0), rebound.awaitSupervisorExit(ReboundProcess.STOP_TIMEOUT),
                    rebound.logTail(40));
            assertTrue(rebound.logTail(200).contains("SIGINT received"), rebound.logTail(40));
            await("no process of Rebound left")
                    .atMost(TIMEOUT).ignoreExceptionsInstanceOf(Exception.class)
                    .until(() -> rebound.allPids().isEmpty());
        }
    }
}

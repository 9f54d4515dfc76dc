package io.rebound.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.rebound.config.ExitCodes;
import com.sun.net.httpserver.HttpServer;
import io.rebound.supervisor.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rebound run} as a real process, its real proxies configured with a server that is down (nothing listens on
 * its port): an outage from the first second. The proxies are started, not ready, and must be kept, not churned; and
 * the operator must be able to load the right server list with a reload right then.
 */
class OutageProcessTest {
    private static final Duration BOUND = SupervisedProxies.BOUND;
    /**
     * A start-timeout that a proxy JVM meets on a busy machine (its /health/started answers 200 once its listener is
     * bound and its first round of checks is done), short enough to pass a few times within the test.
     */
    private static final String STANDBY = "supervisor { standby = 1, start-timeout = 8s }";

    @TempDir
    Path dir;

    private SupervisedProxies run;
    private AdminClient admin;
    private Path config;
    private final int childAdminPort = FreePort.pick();

    @BeforeEach
    void startSupervisorWhoseOnlyServerIsDown() throws Exception {
        run = new SupervisedProxies(dir);
        admin = run.admin();
        config = run.writeConfig("rebound.conf", childAdminPort, run.supervisorPort(), serversDownAnd(STANDBY));
        run.startSupervisor(config, dir.resolve("supervisor.log"));
    }

    @AfterEach
    void killEverythingStarted() {
        run.close();
    }

    @Test
    void aStandbyThatIsStartedWhileNoServerIsUp_isKept_notKilledAndRelaunched() {
        long main = run.awaitRunningChild(-1);
        long firstStandby = admin.status().map(status -> status.getIsNull("standbyPid") ? -1L
                : status.getLong("standbyPid")).orElse(-1L);
        await("a standby that counts as running past its start-timeout, though no server is up").atMost(BOUND)
                .untilAsserted(() -> assertTrue(admin.readyStandbyPid().isPresent(), () -> "" + admin.status()));
        Config status = admin.status().orElseThrow();
        assertTrue(firstStandby == -1 || firstStandby == status.getLong("standbyPid"),
                "the standby seen first is the one kept: " + status);
        assertEquals(main, status.getLong("childPid"));
        assertEquals(0, status.getLong("restarts"), "no restart is counted, nothing pages: " + status);
        assertTrue(admin.metrics().contains("rebound_supervisor_restarts_total{reason=\"not-ready\"} 0.0"),
                admin.metrics());
    }

    @Test
    void aReloadDuringTheOutage_loadsTheNewServerList_thoughItsServerIsNotUpYet() throws Exception {
        long main = run.awaitRunningChild(-1);
        assertEquals(Probe.Outcome.FAILED, Probe.once(run.trafficPort()), "no server is up yet");
        int newServerPort = FreePort.pick();
        run.writeConfig("rebound.conf", childAdminPort, run.supervisorPort(),
                "servers = [ { name = apache1, address = \"127.0.0.1:" + newServerPort + "\" } ]\n" + STANDBY);

        CommandRun reload = CommandRun.of("reload", "--config", config.toString());

        assertEquals(ExitCodes.OK, reload.exitCode(), reload.toString());
        long newMain = admin.runningChildPid().orElseThrow();
        assertTrue(newMain != main, "a new proxy serves: " + admin.status());
        HttpServer newServer = ApacheLike.start(newServerPort);
        try {
            await("This is apache1 from the new address, through the reloaded proxy").atMost(BOUND)
                    .untilAsserted(() -> assertEquals(Probe.Outcome.ANSWERED, Probe.once(run.trafficPort()),
                            () -> "" + admin.status()));
        } finally {
            newServer.stop(0);
        }
    }

    /** The extra configuration with the one server moved to a port where nothing listens. */
    private String serversDownAnd(String extra) {
        return "servers = [ { name = apache1, address = \"127.0.0.1:" + FreePort.pick() + "\" } ]\n" + extra;
    }
}

package io.rebound.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reference setup as an operator runs it: the distribution's tarball installed on a systemd machine, its
 * {@code rebound.service} started with systemctl, three backends behind it, and the recovery drills done with the
 * operator's tools: {@code pkill -9} of the proxy (the supervisor heals it), {@code kill -9} of the supervisor
 * (systemd's Restart=always heals it, and no orphan keeps the ports), {@code systemctl stop}, {@code systemctl reload}
 * (a new proxy with the new file; an invalid file is refused and the proxy keeps serving), and an invalid
 * configuration at start (the service fails once with 78 and does not restart-loop).
 */
class SystemdServiceIT {
    private static final String UNIT = "rebound.service";
    private static final String CONFIG = SystemdMachine.CONFIG_FILE;
    private static final String PROXY = SystemdMachine.PROXY;
    private static final String GOOD_CONFIG = SystemdMachine.CONFIG_OF_THE_THREE_BACKENDS;
    private static final String SUPERVISOR = "java.*io[.]rebound[.]cli[.]Main run";
    private static final Duration RECOVERY = SystemdMachine.RECOVERY;

    private static SystemdMachine machine;

    @BeforeAll
    static void installTheDistributionAsItsUnitFileSays() {
        machine = SystemdMachine.boot();
        machine.installReboundBesideThreeBackends();
        machine.writeConfig(GOOD_CONFIG);
        machine.run("systemctl start " + UNIT);
    }

    @AfterAll
    static void shutDown() {
        if (machine != null) {
            machine.close();
        }
    }

    @BeforeEach
    void theServiceRunsWithAValidConfiguration() {
        machine.writeConfig(GOOD_CONFIG);
        if (!machine.sh("systemctl is-active " + UNIT).output().strip().equals("active")) {
            machine.run("systemctl reset-failed " + UNIT + "; systemctl start " + UNIT);
        }
        machine.awaitServingOnPort80();
    }

    @Test
    void theServiceAnswersInRoundRobinOrderOnPort80AsTheUnprivilegedReboundUser() {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(machine.run("curl -s --max-time 5 http://127.0.0.1:80/").strip());
        }
        assertEquals(3, new HashSet<>(answers).size(), answers.toString());
        for (int i = 0; i < 3; i++) {
            assertEquals(answers.get(i), answers.get(i + 3), "not a rotation: " + answers);
            assertTrue(answers.get(i).matches("This is apache[123]"), answers.toString());
        }
        String users = machine.run("ps -o user= -p \"$(pgrep -d, -f '" + SUPERVISOR + "'),$(pgrep -d, -f '" + PROXY
                + "')\"");
        assertEquals(List.of("rebound", "rebound"), users.lines().map(String::strip).toList());
    }

    @Test
    void pkillOfTheProxyIsHealedByTheSupervisorWithoutSystemdRestartingAnything() {
        String systemdRestarts = machine.unitProperty(UNIT, "NRestarts");
        long proxy = onlyPid(PROXY);
        int restarts = supervisorRestarts();

        machine.run("pkill -9 -f '" + PROXY + "'");

        long replacement = await("a new proxy process")
                .atMost(RECOVERY).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> machine.pids(PROXY), pids -> pids.size() == 1 && pids.get(0) != proxy).get(0);
        machine.awaitServingOnPort80();
        assertNotEquals(proxy, replacement);
        assertEquals(restarts + 1, supervisorRestarts(), machine.run("/opt/rebound/bin/rebound status --config "
                + CONFIG));
        assertEquals(systemdRestarts, machine.unitProperty(UNIT, "NRestarts"), "systemd restarted the service");
        assertTrue(machine.run("/opt/rebound/bin/rebound status --config " + CONFIG + " | grep Active")
                .contains("Active: active (running)"));
    }

    @Test
    void killingTheSupervisorIsHealedBySystemdAndLeavesNoOrphanProxy() {
        int systemdRestarts = Integer.parseInt(machine.unitProperty(UNIT, "NRestarts"));
        String supervisor = machine.unitProperty(UNIT, "MainPID");
        long proxy = onlyPid(PROXY);

        machine.run("kill -9 " + supervisor);

        await("systemd to start a new supervisor")
                .atMost(RECOVERY).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> machine.unitProperty(UNIT, "MainPID"), pid -> !pid.equals("0") && !pid.equals(supervisor));
        machine.awaitServingOnPort80();
        long replacement = await("exactly one proxy, a new one: the old one exits on its own")
                .atMost(RECOVERY).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> machine.pids(PROXY), pids -> pids.size() == 1 && pids.get(0) != proxy).get(0);
        assertNotEquals(proxy, replacement);
        assertEquals(systemdRestarts + 1, Integer.parseInt(machine.unitProperty(UNIT, "NRestarts")),
                machine.journal(UNIT));
    }

    @Test
    void systemctlStopEndsTheSupervisorAndTheProxyAndStartServesAgain() {
        machine.run("systemctl stop " + UNIT);

        assertEquals("inactive", machine.sh("systemctl is-active " + UNIT).output().strip(), machine.journal(UNIT));
        assertEquals(List.of(), machine.pids(SUPERVISOR));
        assertEquals(List.of(), machine.pids(PROXY));
        assertEquals("0", machine.unitProperty(UNIT, "ExecMainStatus"), "the supervisor's exit code after a stop");

        machine.run("systemctl start " + UNIT);
        machine.awaitServingOnPort80();
    }

    @Test
    void systemctlReloadReplacesTheProxyWithOneOfTheNewFile_withoutSystemdRestartingAnything() {
        String systemdRestarts = machine.unitProperty(UNIT, "NRestarts");
        String supervisor = machine.unitProperty(UNIT, "MainPID");
        long proxy = onlyPid(PROXY);
        machine.writeConfig(GOOD_CONFIG.replace("{ name = apache3, address = \"127.0.0.1:8083\" }", ""));
        try {
            machine.run("systemctl reload " + UNIT);

            long replacement = await("one proxy, a new one: the old one drained and exited")
                    .atMost(RECOVERY).ignoreExceptionsInstanceOf(Exception.class)
                    .until(() -> machine.pids(PROXY), pids -> pids.size() == 1 && pids.get(0) != proxy).get(0);
            assertNotEquals(proxy, replacement);
            Set<String> answers = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                answers.add(machine.run("curl -s --max-time 5 http://127.0.0.1:80/").strip());
            }
            assertEquals(Set.of("This is apache1", "This is apache2"), answers, "the new file's two servers");
            assertEquals(supervisor, machine.unitProperty(UNIT, "MainPID"), "the same supervisor");
            assertEquals(systemdRestarts, machine.unitProperty(UNIT, "NRestarts"));
            String status = machine.run("/opt/rebound/bin/rebound status --config " + CONFIG);
            Matcher reloads = Pattern.compile("Reloads: (\\d+)").matcher(status);
            assertTrue(reloads.find() && Integer.parseInt(reloads.group(1)) >= 1, status);
        } finally {
            machine.writeConfig(GOOD_CONFIG);
            machine.run("systemctl reload " + UNIT);
        }
    }

    @Test
    void systemctlReloadOfAnInvalidFileFails_namingTheKey_andTheProxyKeepsServing() {
        long proxy = onlyPid(PROXY);
        machine.writeConfig(GOOD_CONFIG.replace("check { interval = 500ms, timeout = 400ms }",
                "check { interval = 500ms, timeout = 4s }"));

        CommandResult reload = machine.sh("systemctl reload " + UNIT);

        assertNotEquals(0, reload.exitCode(), reload.output());
        assertTrue(machine.journal(UNIT).contains("rebound.check.timeout"), machine.journal(UNIT));
        assertEquals("active", machine.sh("systemctl is-active " + UNIT).output().strip());
        assertEquals(List.of(proxy), machine.pids(PROXY));
        machine.awaitServingOnPort80();
    }

    @Test
    void anInvalidConfigurationFailsTheServiceWithExitCode78AndDoesNotRestartLoop() {
        machine.writeConfig("rebound { servers = [] }\n");

        machine.run("systemctl restart " + UNIT);

        await("the service to fail")
                .atMost(RECOVERY).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> machine.sh("systemctl is-active " + UNIT).output().strip(), "failed"::equals);
        assertEquals("78", machine.unitProperty(UNIT, "ExecMainStatus"));
        String restarts = machine.unitProperty(UNIT, "NRestarts");
        // RestartSec is 100 ms: a restart loop would show within a second. Watch for three.
        await("the service to stay failed")
                .during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(3).plusSeconds(5))
                .until(() -> machine.sh("systemctl is-active " + UNIT).output().strip().equals("failed"));
        assertEquals(restarts, machine.unitProperty(UNIT, "NRestarts"), machine.journal(UNIT));
        assertTrue(machine.journal(UNIT).contains("Invalid value at 'rebound.servers'"), machine.journal(UNIT));
    }

    private static long onlyPid(String pattern) {
        return await("exactly one process matching " + pattern)
                .atMost(RECOVERY).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> machine.pids(pattern), pids -> pids.size() == 1).get(0);
    }

    private static int supervisorRestarts() {
        String status = machine.run("/opt/rebound/bin/rebound status --config " + CONFIG);
        Matcher restarts = Pattern.compile("Restarts: (\\d+)").matcher(status);
        assertTrue(restarts.find(), status);
        return Integer.parseInt(restarts.group(1));
    }
}

package io.rebound.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket activation under a real systemd: the distribution's {@code rebound.socket} and its drop-in for
 * {@code rebound.service} installed as the socket unit's comment says. systemd holds port 80, the supervisor and each
 * proxy serve that socket, and the door stays open even while systemd restarts the supervisor itself.
 */
class SystemdSocketActivationIT {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdSocketActivationIT.class);
    private static final String SERVICE = "rebound.service";
    private static final String SOCKET = "rebound.socket";
    private static final String PROXY = SystemdMachine.PROXY;

    private static SystemdMachine machine;

    @BeforeAll
    static void installTheSocketUnitAsItsCommentSays() {
        machine = SystemdMachine.boot();
        machine.installReboundBesideThreeBackends();
        machine.writeConfig(SystemdMachine.CONFIG_OF_THE_THREE_BACKENDS);
        machine.run("cp /opt/rebound/systemd/rebound.socket /etc/systemd/system/"
                + " && install -D -m 0644 /opt/rebound/systemd/rebound.service.d/socket-activation.conf"
                + " /etc/systemd/system/rebound.service.d/socket-activation.conf"
                + " && systemctl daemon-reload && systemctl enable --now " + SOCKET + " && systemctl restart "
                + SERVICE);
    }

    @AfterAll
    static void shutDown() {
        if (machine != null) {
            machine.close();
        }
    }

    @BeforeEach
    void theServiceRunsOnTheSocket() {
        if (!machine.sh("systemctl is-active " + SERVICE).output().strip().equals("active")) {
            machine.run("systemctl reset-failed " + SERVICE + "; systemctl start " + SERVICE);
        }
        machine.awaitServingOnPort80();
    }

    @Test
    void theSupervisorTakesTheSocketFromSystemdAndServesItInRoundRobinOrder() {
        assertEquals("active", machine.sh("systemctl is-active " + SOCKET).output().strip());
        assertTrue(machine.journal(SERVICE).contains("on its standard input (socket activation)"),
                machine.journal(SERVICE));
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(machine.run("curl -s --max-time 5 http://127.0.0.1:80/").strip());
        }
        assertEquals(3, new HashSet<>(answers).size(), answers.toString());
        for (int i = 0; i < 3; i++) {
            assertEquals(answers.get(i), answers.get(i + 3), "not a rotation: " + answers);
        }
    }

    @Test
    void aConnectionWhileSystemdRestartsTheKilledSupervisorIsAnsweredNotRefused() {
        int systemdRestarts = Integer.parseInt(machine.unitProperty(SERVICE, "NRestarts"));
        String supervisor = machine.unitProperty(SERVICE, "MainPID");

        // Kill the supervisor, wait until its proxy is gone too (nothing of Rebound accepts any more), then connect:
        // the connection waits in the backlog of the socket systemd holds until the restarted service takes it.
        CommandResult drill = machine.sh("proxy=$(pgrep -f '" + PROXY + "'); kill -9 " + supervisor
                + "; while kill -0 $proxy 2>/dev/null; do sleep 0.01; done"
                + "; curl -s -o /dev/null -w '%{http_code} after %{time_total} s' --max-time 30 http://127.0.0.1:80/");

        LOG.info("a connection made once supervisor {} and its proxy were gone: {}", supervisor, drill.output());
        assertEquals(0, drill.exitCode(), "curl (7 is connection refused): " + drill.output() + "\n"
                + machine.journal(SERVICE));
        assertTrue(drill.output().startsWith("200 "), drill.output());
        assertNotEquals(supervisor, machine.unitProperty(SERVICE, "MainPID"));
        assertEquals(systemdRestarts + 1, Integer.parseInt(machine.unitProperty(SERVICE, "NRestarts")),
                machine.journal(SERVICE));
        assertEquals("active", machine.sh("systemctl is-active " + SOCKET).output().strip());
    }

    @Test
    void aConnectionToTheStoppedServiceStartsItAndIsAnswered() {
        machine.run("systemctl stop " + SERVICE);
        assertEquals("inactive", machine.sh("systemctl is-active " + SERVICE).output().strip());
        assertEquals(List.of(), machine.pids(PROXY));

        String body = machine.run("curl -s --max-time 30 http://127.0.0.1:80/");

        assertTrue(body.startsWith("This is apache"), body);
        assertEquals("active", machine.sh("systemctl is-active " + SERVICE).output().strip(),
                machine.journal(SERVICE));
    }
}

package io.rebound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.rebound.config.HostPort;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The exact text of {@code rebound status} for /status answers in each kind of state. */
class StatusSummaryTest {
    private static final HostPort ADMIN = new HostPort("127.0.0.1", 8405);
    private static final long SINCE = Instant.parse("2026-11-25T17:05:01Z").toEpochMilli();
    private static final long NOW = SINCE + 42_500;
    private static final String NO_RESTARTS = "\"restarts\":0,"
            + "\"restartsByReason\":{\"exit-code\":0,\"signal\":0,\"liveness\":0,\"not-ready\":0}";

    @Test
    void aRunningChild() {
        String text = render("{\"state\":\"RUNNING\",\"activeState\":\"active (running)\",\"since\":" + SINCE
                + ",\"childPid\":4242," + NO_RESTARTS + ",\"lastExit\":null,\"nextRestartDelayMs\":null,"
                + "\"crashLooping\":false,\"supervisorPid\":4100}");

        assertEquals(String.join("\n",
                "● rebound supervisor (pid 4100, admin 127.0.0.1:8405)",
                "     Active: active (running) since Wed 2026-11-25 17:05:01 UTC; 42s ago",
                "   Main PID: 4242",
                "   Restarts: 0 (exit-code 0, signal 0, liveness 0, not-ready 0)",
                " Crash loop: no",
                ""), text);
    }

    @Test
    void aCrashLoopingChildWaitingForItsRestart() {
        String text = render("{\"state\":\"BACKOFF\",\"activeState\":\"activating (auto-restart)\",\"since\":"
                + SINCE + ",\"childPid\":null,\"restarts\":7,"
                + "\"restartsByReason\":{\"exit-code\":7,\"signal\":0,\"liveness\":0,\"not-ready\":0},"
                + "\"lastExit\":{\"pid\":4300,\"exitValue\":1,\"signal\":null,\"description\":\"exit code 1\"},"
                + "\"nextRestartDelayMs\":1600,\"crashLooping\":true,\"supervisorPid\":4100}");

        assertEquals(String.join("\n",
                "● rebound supervisor (pid 4100, admin 127.0.0.1:8405)",
                "     Active: activating (auto-restart) since Wed 2026-11-25 17:05:01 UTC; 42s ago",
                "   Main PID: 4300 (code=exited, status=1)",
                "   Restarts: 7 (exit-code 7, signal 0, liveness 0, not-ready 0)",
                "  Last exit: pid 4300, exit code 1",
                " Next start: in 1600ms",
                " Crash loop: yes, restarts are delayed more and more",
                ""), text);
    }

    @Test
    void aChildKilledAndNotRestartedIsFailed() {
        String text = render("{\"state\":\"FATAL\",\"activeState\":\"failed\",\"since\":" + SINCE
                + ",\"childPid\":null," + NO_RESTARTS + ",\"lastExit\":{\"pid\":4300,\"exitValue\":137,\"signal\":9,"
                + "\"description\":\"signal 9 (KILL)\"},\"nextRestartDelayMs\":null,\"crashLooping\":false,"
                + "\"supervisorPid\":4100}");

        assertEquals("     Active: failed since Wed 2026-11-25 17:05:01 UTC; 42s ago", text.lines().toList().get(1));
        assertEquals("   Main PID: 4300 (code=killed, signal=9)", text.lines().toList().get(2));
    }

    @Test
    void aReloadingSupervisorWithAStandbyAndADrainingChild() {
        String text = render("{\"state\":\"RELOADING\",\"activeState\":\"reloading (reload)\",\"since\":" + SINCE
                + ",\"childPid\":4242," + NO_RESTARTS + ",\"lastExit\":null,\"nextRestartDelayMs\":null,"
                + "\"crashLooping\":false,\"reloads\":2,\"drainingPids\":[4200],\"standbyPid\":4300,"
                + "\"standbyReady\":true,\"supervisorPid\":4100}");

        assertEquals(String.join("\n",
                "● rebound supervisor (pid 4100, admin 127.0.0.1:8405)",
                "     Active: reloading (reload) since Wed 2026-11-25 17:05:01 UTC; 42s ago",
                "   Main PID: 4242",
                "   Restarts: 0 (exit-code 0, signal 0, liveness 0, not-ready 0)",
                " Crash loop: no",
                "    Standby: pid 4300 (ready, serving)",
                "    Reloads: 2 (draining: pid 4200)",
                ""), text);
    }

    @Test
    void aMachineThatKeepalivedMadeMaster_showsVrrpMasterSinceWhen() {
        String text = render("{\"state\":\"RUNNING\",\"activeState\":\"active (running)\",\"since\":" + SINCE
                + ",\"childPid\":4242," + NO_RESTARTS + ",\"lastExit\":null,\"nextRestartDelayMs\":null,"
                + "\"crashLooping\":false,\"vrrp\":{\"state\":\"MASTER\",\"since\":" + (SINCE + 30_000)
                + "},\"supervisorPid\":4100}");

        assertEquals(String.join("\n",
                "● rebound supervisor (pid 4100, admin 127.0.0.1:8405)",
                "     Active: active (running) since Wed 2026-11-25 17:05:01 UTC; 42s ago",
                "   Main PID: 4242",
                "   Restarts: 0 (exit-code 0, signal 0, liveness 0, not-ready 0)",
                " Crash loop: no",
                "       VRRP: MASTER since Wed 2026-11-25 17:05:31 UTC; 12s ago",
                ""), text);
    }

    @Test
    void aMachineKeepalivedNeverTold_hasNoVrrpLine() {
        String text = render("{\"state\":\"RUNNING\",\"activeState\":\"active (running)\",\"since\":" + SINCE
                + ",\"childPid\":4242," + NO_RESTARTS + ",\"lastExit\":null,\"nextRestartDelayMs\":null,"
                + "\"crashLooping\":false,\"vrrp\":null,\"supervisorPid\":4100}");

        assertEquals(-1, text.indexOf("VRRP"), text);
    }

    private static String render(String json) {
        Config status = ConfigFactory.parseString(json, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
        return StatusSummary.render(status, ADMIN, NOW, ZoneId.of("UTC"));
    }
}

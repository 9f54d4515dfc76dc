package io.rebound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.config.ConfigFiles;
import io.rebound.config.ExitCodes;
import io.rebound.supervisor.FreePort;
import io.rebound.supervisor.ReloadOutcome;
import io.rebound.supervisor.StandIn;
import io.rebound.supervisor.Supervisor;
import io.rebound.supervisor.SupervisorSettings;
import io.rebound.supervisor.VrrpRole;
import io.rebound.supervisor.admin.SupervisorAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rebound vrrp-notify} as keepalived's notify scripts run it, against a real supervisor admin listener (in this
 * JVM) that asks for a token; {@code rebound status} then shows the state.
 */
class VrrpNotifyCommandTest {
    private static final Pattern VRRP_LINE = Pattern.compile(
            "(?m)^       VRRP: BACKUP since \\w{3} \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} \\S+; \\d+s ago$");

    @TempDir
    Path dir;

    private final VrrpRole vrrp = new VrrpRole();
    private SupervisorAdmin admin;

    @AfterEach
    void closeTheListener() {
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void vrrpNotifyBackup_tellsTheSupervisorWithItsToken_andStatusShowsTheVrrpLine() throws Exception {
        Path config = startAdminWithToken();

        CommandRun told = CommandRun.of("vrrp-notify", "BACKUP", "--config", config.toString());
        CommandRun status = CommandRun.of("status", "--config", config.toString());

        assertEquals(ExitCodes.OK, told.exitCode(), told.toString());
        assertEquals(VrrpRole.State.BACKUP, vrrp.current().orElseThrow().state());
        assertTrue(VRRP_LINE.matcher(status.out()).find(), status.toString());
    }

    @Test
    void vrrpNotifyOfAnUnknownState_isAUsageError_andTellsNothing() throws Exception {
        Path config = startAdminWithToken();

        CommandRun result = CommandRun.of("vrrp-notify", "LEADER", "--config", config.toString());

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("expected: MASTER, BACKUP, FAULT or STOP"), result.toString());
        assertEquals(Optional.empty(), vrrp.current());
    }

    @Test
    void vrrpNotifyExits69_whenNoSupervisorAnswers() throws Exception {
        Path config = Files.writeString(dir.resolve("rebound.conf"),
                StandIn.hocon(FreePort.pick(), FreePort.pick(), ""));

        CommandRun result = CommandRun.of("vrrp-notify", "MASTER", "--config", config.toString());

        assertEquals(ExitCodes.UNAVAILABLE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("no supervisor answers at 127.0.0.1:"), result.toString());
    }

    private Path startAdminWithToken() throws Exception {
        Path token = Files.writeString(dir.resolve("supervisor.token"), "vrrp-secret\n");
        int childPort = FreePort.pick();
        Path config = Files.writeString(dir.resolve("rebound.conf"), StandIn.hocon(childPort, FreePort.pick(),
                "rebound.supervisor.admin.token-file = \"" + token + "\""));
        SupervisorSettings settings = SupervisorSettings.read(ConfigFiles.load(config));
        Supervisor supervisor = new Supervisor(settings, StandIn.command(childPort));
        admin = SupervisorAdmin.start(settings.admin().bind(), settings.admin().token(), supervisor,
                reason -> CompletableFuture.completedFuture(ReloadOutcome.refused("not in this test")), vrrp);
        return config;
    }
}

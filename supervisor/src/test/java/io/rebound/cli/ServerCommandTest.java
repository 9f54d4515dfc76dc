package io.rebound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.balance.ServerSettings;
import io.rebound.balance.ServerState;
import io.rebound.config.ConfigFiles;
import io.rebound.config.ExitCodes;
import io.rebound.config.HostPort;
import io.rebound.supervisor.FreePort;
import io.rebound.supervisor.ReloadOutcome;
import io.rebound.supervisor.StandIn;
import io.rebound.supervisor.Supervisor;
import io.rebound.supervisor.SupervisorSettings;
import io.rebound.supervisor.VrrpRole;
import io.rebound.supervisor.admin.SupervisorAdmin;
import io.rebound.supervisor.runtime.ChildProxies;
import io.rebound.supervisor.runtime.ServerControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rebound server} and {@code rebound servers} against a real supervisor admin listener in this JVM that asks
 * for a token: each exit code, and a refused command changes nothing.
 */
class ServerCommandTest {
    @TempDir
    Path dir;

    private SupervisorAdmin admin;
    private ServerControl control;
    private Path config;

    @AfterEach
    void closeTheListener() {
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void drainThenServers_showsTheServerDrainedInTheTable_andStatusNamesIt() throws Exception {
        startAdmin();

        CommandRun drain = CommandRun.of("server", "drain", "apache2", "--config", config.toString());
        CommandRun weight = CommandRun.of("server", "weight", "apache1", "7", "--config", config.toString());
        CommandRun servers = CommandRun.of("servers", "--config", config.toString());

        assertEquals(ExitCodes.OK, drain.exitCode(), drain.toString());
        assertTrue(drain.out().contains("apache2: ready -> drain"), drain.toString());
        assertEquals(ExitCodes.OK, weight.exitCode(), weight.toString());
        assertEquals(ExitCodes.OK, servers.exitCode(), servers.toString());
        assertTrue(servers.out().startsWith("NAME     ADDRESS         STATE  WEIGHT            STATUS  IN-FLIGHT\n"
                + "apache1  127.0.0.1:8081  ready  7 (configured 1)  -       -\n"
                + "apache2  127.0.0.1:8082  drain  1                 -       -\n"), servers.out());
        assertTrue(servers.out().contains("(generation 2); 0 proxies answered"), servers.out());
        CommandRun status = CommandRun.of("status", "--config", config.toString());
        assertTrue(status.out().contains("\n    Servers: not ready: apache2 drain (rebound servers)\n"), status.out());
    }

    @Test
    void drainWithWait_returnsAtOnce_whenNoProxyHasARequestInFlight() throws Exception {
        startAdmin();

        CommandRun drain = CommandRun.of("server", "drain", "apache2", "--wait", "5s", "--config", config.toString());

        assertEquals(ExitCodes.OK, drain.exitCode(), drain.toString());
        assertTrue(drain.out().contains("apache2: no request in flight (no proxy runs)"), drain.toString());
    }

    @Test
    void anUnknownServer_exits67_andAnInvalidWeightOrAction_exits64_changingNothing() throws Exception {
        startAdmin();

        CommandRun unknown = CommandRun.of("server", "maint", "apache9", "--config", config.toString());
        CommandRun unknownWeight = CommandRun.of("server", "weight", "apache9", "3", "--config", config.toString());
        CommandRun zero = CommandRun.of("server", "weight", "apache1", "0", "--config", config.toString());
        CommandRun tooHeavy = CommandRun.of("server", "weight", "apache1", "300", "--config", config.toString());
        CommandRun word = CommandRun.of("server", "weight", "apache1", "heavy", "--config", config.toString());
        CommandRun action = CommandRun.of("server", "down", "apache1", "--config", config.toString());
        CommandRun waitOnReady = CommandRun.of("server", "ready", "apache1", "--wait", "--config", config.toString());
        CommandRun badTimeout = CommandRun.of("server", "drain", "apache1", "--wait", "soon", "--config",
                config.toString());

        assertEquals(ExitCodes.NO_SUCH_NAME, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("server: 'apache9' (expected: one of apache1, apache2); nothing changed"),
                unknown.toString());
        assertEquals(ExitCodes.NO_SUCH_NAME, unknownWeight.exitCode(), unknownWeight.toString());
        for (CommandRun usage : List.of(zero, tooHeavy, word, action, waitOnReady, badTimeout)) {
            assertEquals(ExitCodes.USAGE, usage.exitCode(), usage.toString());
        }
        assertTrue(zero.err().contains("weight: '0' (expected: 1-256)"), zero.toString());
        assertEquals(0, control.state().generation());
        assertTrue(Files.notExists(dir.resolve("servers.json")), "no state file written");
        assertEquals(ServerState.READY, control.state().of("apache1").state());
    }

    @Test
    void serverAndServers_exit69_whenNoSupervisorAnswers() throws Exception {
        config = Files.writeString(dir.resolve("rebound.conf"), StandIn.hocon(FreePort.pick(), FreePort.pick(), ""));

        CommandRun drain = CommandRun.of("server", "drain", "apache1", "--config", config.toString());
        CommandRun servers = CommandRun.of("servers", "--config", config.toString());

        assertEquals(ExitCodes.UNAVAILABLE, drain.exitCode(), drain.toString());
        assertEquals(ExitCodes.UNAVAILABLE, servers.exitCode(), servers.toString());
        assertTrue(servers.err().contains("no supervisor answers at 127.0.0.1:"), servers.toString());
    }

    private void startAdmin() throws Exception {
        Path token = Files.writeString(dir.resolve("supervisor.token"), "servers-secret\n");
        int childPort = FreePort.pick();
        config = Files.writeString(dir.resolve("rebound.conf"), StandIn.hocon(childPort, FreePort.pick(),
                "rebound.supervisor.admin.token-file = \"" + token + "\""));
        SupervisorSettings settings = SupervisorSettings.read(ConfigFiles.load(config));
        Supervisor supervisor = new Supervisor(settings, StandIn.command(childPort));
        control = ServerControl.open(dir.resolve("servers.json"), List.of(
                new ServerSettings("apache1", HostPort.parse("127.0.0.1:8081"), 1, true),
                new ServerSettings("apache2", HostPort.parse("127.0.0.1:8082"), 1, true)),
                List::of, new ChildProxies(Optional.empty()));
        admin = SupervisorAdmin.start(settings.admin().bind(), settings.admin().token(), supervisor,
                reason -> CompletableFuture.completedFuture(ReloadOutcome.refused("not in this test")),
                new VrrpRole(), control);
    }
}

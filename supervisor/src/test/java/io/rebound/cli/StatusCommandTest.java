package io.rebound.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.config.ConfigFiles;
import io.rebound.config.ExitCodes;
import io.rebound.supervisor.FreePort;
import io.rebound.supervisor.StandIn;
import io.rebound.supervisor.Supervisor;
import io.rebound.supervisor.SupervisorSettings;
import io.rebound.supervisor.SupervisorState;
import io.rebound.supervisor.admin.SupervisorAdmin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rebound status} against a real supervisor (in this JVM) with a stand-in child. */
class StatusCommandTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Pattern ACTIVE_RUNNING = Pattern.compile(
            "(?m)^\\s*Active: active \\(running\\) since \\w{3} \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} \\S+; \\d+s ago$");

    @TempDir
    Path dir;

    private Supervisor supervisor;
    private SupervisorAdmin admin;
    private Path config;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stopEverything() throws Exception {
        try {
            if (supervisor != null) {
                supervisor.stop("test over").get(20, TimeUnit.SECONDS);
            }
            if (admin != null) {
                admin.close();
            }
        } finally {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void statusPrintsActiveRunningMainPidAndRestarts_andExits0() throws Exception {
        supervise();
        awaitRunning();
        long pid = supervisor.status().childPid().orElseThrow();

        int exit = status();

        assertEquals(ExitCodes.OK, exit, err.toString());
        assertTrue(ACTIVE_RUNNING.matcher(out()).find(), out());
        assertTrue(out().contains("Main PID: " + pid + "\n"), out());
        assertTrue(out().contains("Restarts: 0 "), out());
    }

    @Test
    void statusShowsRestarts1_afterTheProxyIsKilledWithSigkill() throws Exception {
        supervise();
        awaitRunning();
        long first = supervisor.status().childPid().orElseThrow();

        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        await("a new running child").atMost(BOUND)
                .untilAsserted(() -> assertTrue(supervisor.status().state() == SupervisorState.RUNNING
                        && supervisor.status().childPid().orElse(first) != first,
                        () -> "last seen: " + supervisor.status()));
        int exit = status();

        assertEquals(ExitCodes.OK, exit, err.toString());
        assertTrue(ACTIVE_RUNNING.matcher(out()).find(), out());
        assertTrue(out().contains("Main PID: " + supervisor.status().childPid().orElseThrow() + "\n"), out());
        assertTrue(out().contains("Restarts: 1 (exit-code 0, signal 1, liveness 0, not-ready 0)"), out());
        assertTrue(out().contains("Last exit: pid " + first + ", signal 9 (KILL)"), out());
    }

    @Test
    void statusSaysFailed_andExits3_whenTheChildExitedWithAConfigError() throws Exception {
        supervise("--exit-after-ms", "100", "--exit-code", "78");
        await("state FATAL").atMost(BOUND)
                .untilAsserted(() -> assertTrue(supervisor.status().state() == SupervisorState.FATAL,
                        () -> "last seen: " + supervisor.status()));

        int exit = status();

        assertEquals(StatusCommand.NOT_RUNNING, exit, err.toString());
        assertTrue(out().contains("Active: failed since "), out());
        assertTrue(Pattern.compile("Main PID: \\d+ \\(code=exited, status=78\\)").matcher(out()).find(), out());
    }

    @Test
    void statusSaysInactiveDead_andExits3_beforeTheFirstStart() throws Exception {
        int childPort = FreePort.pick();
        writeConfig(childPort);
        supervisor = new Supervisor(settings(), StandIn.command(childPort));
        admin = SupervisorAdmin.start(settings().admin().bind(), supervisor);

        int exit = status();

        assertEquals(StatusCommand.NOT_RUNNING, exit, err.toString());
        assertTrue(out().contains("Active: inactive (dead) since "), out());
        assertTrue(out().contains("Main PID: none"), out());
    }

    @Test
    void statusExits69_whenNoSupervisorAnswers() throws Exception {
        writeConfig(FreePort.pick());

        int exit = status();

        assertEquals(ExitCodes.UNAVAILABLE, exit);
        assertTrue(err.toString().contains("no supervisor answers at 127.0.0.1:"), err.toString());
    }

    private void supervise(String... childArgs) throws Exception {
        int childPort = FreePort.pick();
        writeConfig(childPort);
        supervisor = new Supervisor(settings(), StandIn.command(childPort, childArgs));
        admin = SupervisorAdmin.start(settings().admin().bind(), supervisor);
        supervisor.start();
    }

    private void writeConfig(int childPort) throws Exception {
        config = dir.resolve("rebound.conf");
        Files.writeString(config, StandIn.hocon(childPort, FreePort.pick(), ""));
    }

    private SupervisorSettings settings() {
        return SupervisorSettings.read(ConfigFiles.load(config));
    }

    private void awaitRunning() {
        await("a running child").atMost(BOUND)
                .untilAsserted(() -> assertTrue(supervisor.status().state() == SupervisorState.RUNNING,
                        () -> "last seen: " + supervisor.status()));
    }

    private int status() {
        return Main.execute(new String[] {"status", "--config", config.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }
}

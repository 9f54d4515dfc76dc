package io.rebound.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.supervisor.FreePort;
import io.rebound.supervisor.SignalSender;
import io.rebound.supervisor.StandIn;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor as a JVM process of its own (as {@code rebound run}), with a stand-in child. */
class SupervisorProcessTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final int supervisorPort = FreePort.pick();
    private final AdminClient admin = new AdminClient(supervisorPort);
    private Process supervisor;
    private long childPid = -1;

    @AfterEach
    void killEverythingStarted() {
        if (supervisor != null) {
            supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
            supervisor.destroyForcibly();
        }
        if (childPid > 0) {
            ProcessHandle.of(childPid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void theChildExits_whenTheSupervisorIsKilledWithSigkill() throws Exception {
        startSupervisor();
        ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();

        supervisor.toHandle().destroyForcibly();

        assertTrue(supervisor.waitFor(10, TimeUnit.SECONDS));
        await("the orphaned child's exit (end-of-file on its stdin)").atMost(BOUND)
                .untilAsserted(() -> assertTrue(!child.isAlive(), () -> "last seen: " + child.info()));
    }

    @Test
    void sigtermToTheSupervisor_stopsTheChildGracefully_andExits0() throws Exception {
        startSupervisor();
        ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();

        supervisor.toHandle().destroy();

        assertTrue(supervisor.waitFor(20, TimeUnit.SECONDS), "the supervisor exits");
        assertEquals(0, supervisor.exitValue());
        assertTrue(!child.isAlive(), "the child is gone");
        assertTrue(log().contains("STOPPING -> STOPPED"), log());
        assertTrue(log().contains("ended with exit code 0"), "the child drained and exited 0:\n" + log());
    }

    @Test
    void sigintToTheSupervisor_stopsTheChild_andExits0() throws Exception {
        startSupervisor();

        SignalSender.send("INT", supervisor.pid());

        assertTrue(supervisor.waitFor(20, TimeUnit.SECONDS), "the supervisor exits");
        assertEquals(0, supervisor.exitValue());
        assertTrue(log().contains("SIGINT received"), log());
    }

    @Test
    void startedWithSighupAndSigintIgnored_theSupervisorSaysSoAndWhatToUseInstead() throws Exception {
        // As nohup (SIGHUP) and a background job of a script (SIGINT) start a command.
        List<String> ignoring = new ArrayList<>(List.of("sh", "-c", "trap '' HUP INT; exec \"$0\" \"$@\""));
        ignoring.add(SupervisedProxies.java());
        supervisor = launchSupervisor(dir.resolve("supervisor.log"), ignoring);
        await("the supervisor's child running").atMost(BOUND)
                .untilAsserted(() -> assertTrue(admin.runningChildPid().isPresent(),
                        () -> "last seen: " + admin.status()));
        childPid = admin.runningChildPid().orElseThrow();

        assertTrue(log().contains("SIGHUP is ignored in this process"), log());
        assertTrue(log().contains("reload with `rebound reload`"), log());
        assertTrue(log().contains("SIGINT is ignored in this process"), log());
        assertTrue(!log().contains("SIGTERM is ignored"), log());
    }

    /** dev/test runs the process tests again on the newest JDK; this shows the children then run on it as well. */
    @Test
    void theSupervisorAndItsChildRunOnTheJavaThatRunsTheTests() throws Exception {
        startSupervisor();
        Path testsJava = Path.of(SupervisedProxies.java()).toRealPath();

        assertEquals(Optional.of(testsJava), executable(supervisor.toHandle()), "the supervisor's java");
        assertEquals(Optional.of(testsJava), executable(ProcessHandle.of(childPid).orElseThrow()),
                "the child's java (Java " + Runtime.version() + " runs the tests)");
    }

    @Test
    void runExits1_whenTheAdminAddressIsTaken() throws Exception {
        startSupervisor();
        Process second = launchSupervisor(dir.resolve("second.log"));

        assertTrue(second.waitFor(20, TimeUnit.SECONDS), "the second supervisor gives up");
        assertEquals(1, second.exitValue());
        assertTrue(Files.readString(dir.resolve("second.log")).contains("is another supervisor running?"));
    }

    private void startSupervisor() throws Exception {
        supervisor = launchSupervisor(dir.resolve("supervisor.log"));
        await("the supervisor's child running").atMost(BOUND)
                .untilAsserted(() -> assertTrue(admin.runningChildPid().isPresent(),
                        () -> "last seen: " + admin.status()));
        childPid = admin.runningChildPid().orElseThrow();
    }

    private Process launchSupervisor(Path log) throws Exception {
        return launchSupervisor(log, SupervisedProxies.javaAsTheLauncherStartsIt());
    }

    private Process launchSupervisor(Path log, List<String> java) throws Exception {
        Path config = dir.resolve("rebound.conf");
        if (!Files.exists(config)) {
            Files.writeString(config, StandIn.hocon(FreePort.pick(), supervisorPort, ""));
        }
        List<String> command = new ArrayList<>(java);
        command.addAll(List.of(
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"),
                StandInSupervisorMain.class.getName(), config.toString()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    /** The program a process runs, symbolic links resolved (on Linux, /proc/PID/exe). */
    private static Optional<Path> executable(ProcessHandle process) throws IOException {
        Optional<String> command = process.info().command();
        return command.isEmpty() ? Optional.empty() : Optional.of(Path.of(command.get()).toRealPath());
    }

    private String log() throws Exception {
        return Files.readString(dir.resolve("supervisor.log"));
    }
}

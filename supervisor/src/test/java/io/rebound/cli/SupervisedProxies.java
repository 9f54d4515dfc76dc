package io.rebound.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.rebound.supervisor.FreePort;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code rebound run} as real processes on this test's class path, with the real proxy as child, in front of one
 * backend answering {@code This is apache1}: configurations, launches, waits, and the clean-up of every process
 * started.
 */
final class SupervisedProxies implements AutoCloseable {
    static final Duration BOUND = Duration.ofSeconds(30);
    static final String ADD_OPENS = "--add-opens";
    static final String SUN_NIO_CH = "java.base/sun.nio.ch=ALL-UNNAMED";

    private final Path dir;
    private final int trafficPort = FreePort.pick();
    private final int supervisorPort = FreePort.pick();
    private final AdminClient admin = new AdminClient(supervisorPort);
    private final List<Process> supervisors = new ArrayList<>();
    private final ExecutorService backendThreads = Executors.newFixedThreadPool(4);
    private final HttpServer backend;
    private Path lastLog;

    SupervisedProxies(Path dir) throws IOException {
        this.dir = dir;
        backend = ApacheLike.start(0, backendThreads);
    }

    int trafficPort() {
        return trafficPort;
    }

    int supervisorPort() {
        return supervisorPort;
    }

    AdminClient admin() {
        return admin;
    }

    int backendPort() {
        return backend.getAddress().getPort();
    }

    /** Starts {@code rebound run} with {@code rebound.conf} and waits until its admin answers. */
    Process startSupervisor(Path log) throws Exception {
        return startSupervisor(writeConfig("rebound.conf", FreePort.pick(), supervisorPort), log);
    }

    /** Starts {@code rebound run} with {@code config} and waits until its admin answers. */
    Process startSupervisor(Path config, Path log) throws Exception {
        Process supervisor = launch(config, log);
        await("the supervisor's admin").atMost(BOUND)
                .untilAsserted(() -> assertTrue(admin.status().isPresent() || !supervisor.isAlive(),
                        () -> "alive: " + supervisor.isAlive()));
        return supervisor;
    }

    Path writeConfig(String name, int childAdminPort, int supervisorAdminPort) throws IOException {
        return writeConfig(name, childAdminPort, supervisorAdminPort, "");
    }

    /** A configuration with short test timings; {@code extra} (HOCON inside {@code rebound { }}) wins. */
    Path writeConfig(String name, int childAdminPort, int supervisorAdminPort, String extra) throws IOException {
        return Files.writeString(dir.resolve(name), """
                rebound {
                  bind = "127.0.0.1:%d"
                  admin.bind = "127.0.0.1:%d"
                  servers = [ { name = apache1, address = "127.0.0.1:%d" } ]
                  drain-timeout = 500ms
                  supervisor {
                    admin.bind = "127.0.0.1:%d"
                    restart-delay = 50ms
                    stop-timeout = 5s
                    child-jvm-options = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m"]
                  }
                  %s
                }
                """.formatted(trafficPort, childAdminPort, backendPort(), supervisorAdminPort, extra));
    }

    Process launch(Path config, Path log) throws IOException {
        return start(supervisorCommand(config, List.of(ADD_OPENS, SUN_NIO_CH)), log);
    }

    /** {@code rebound run} on this test's class path, as bin/rebound runs it (which adds the --add-opens). */
    static List<String> supervisorCommand(Path config, List<String> jvmOptions) {
        List<String> command = new ArrayList<>(javaAsTheLauncherStartsIt());
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "--config", config.toString()));
        return command;
    }

    /**
     * Java as bin/rebound starts it for {@code rebound run}: SIGHUP, SIGINT and SIGTERM at their default, whatever
     * this test was started with (a runner that starts it under nohup or as a background job has some ignored, and a
     * JVM cannot handle a signal it started with ignored).
     */
    static List<String> javaAsTheLauncherStartsIt() {
        return List.of("env", "--default-signal=HUP,INT,TERM", java());
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    Process start(List<String> command, Path log) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        supervisors.add(process);
        lastLog = log;
        return process;
    }

    /** Waits until the supervisor runs a child other than {@code previous} and returns its pid. */
    long awaitRunningChild(long previous) {
        await("a running child other than pid " + previous).atMost(BOUND)
                .untilAsserted(() -> assertTrue(admin.runningChildPid().filter(pid -> pid != previous).isPresent(),
                        () -> "last seen: " + admin.status() + "\nlog " + lastLog + ":\n" + tail(lastLog)));
        return admin.runningChildPid().orElseThrow();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | RuntimeException e) {
            return e.toString();
        }
    }

    /** Kills every supervisor started and its children, and stops the backend. */
    @Override
    public void close() {
        for (Process supervisor : supervisors) {
            supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
            supervisor.destroyForcibly();
        }
        backend.stop(0);
        backendThreads.shutdownNow();
    }
}

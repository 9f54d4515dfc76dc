package io.rebound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.rebound.config.ExitCodes;
import io.rebound.supervisor.Await;
import io.rebound.supervisor.FreePort;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rebound run} as a real process with the real proxy as its child, both on this test's class path: the
 * supervisor binds {@code rebound.bind} and its children serve that socket (share-listener, the default).
 */
class SharedListenerProcessTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** A probe every 10 ms for at most this many connections: 60 s of probing at the very most. */
    private static final int MAX_PROBES = 6000;
    private static final String ADD_OPENS = "--add-opens";
    private static final String SUN_NIO_CH = "java.base/sun.nio.ch=ALL-UNNAMED";

    @TempDir
    Path dir;

    private final int trafficPort = FreePort.pick();
    private final int supervisorPort = FreePort.pick();
    private final AdminClient admin = new AdminClient(supervisorPort);
    private final List<Process> supervisors = new ArrayList<>();
    private HttpServer backend;

    @BeforeEach
    void startBackend() throws IOException {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        backend.createContext("/", exchange -> {
            byte[] body = "This is apache1\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        backend.setExecutor(Executors.newFixedThreadPool(4));
        backend.start();
    }

    @AfterEach
    void killEverythingStarted() {
        for (Process supervisor : supervisors) {
            supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
            supervisor.destroyForcibly();
        }
        backend.stop(0);
    }

    @Test
    void aClientConnectingWhileTheProxyIsKilled_getsAnAnswer_notARefusal() throws Exception {
        startSupervisor(dir.resolve("supervisor.log"));
        long firstChild = awaitRunningChild(-1);
        Probe probe = new Probe(trafficPort);
        CompletableFuture<Void> probing = CompletableFuture.runAsync(probe::run);
        try {
            Await.until(BOUND, "answers through the first proxy", () -> probe.answered() >= 5, probe::summary);

            long killedAt = System.nanoTime();
            ProcessHandle.of(firstChild).orElseThrow().destroyForcibly();
            long secondChild = awaitRunningChild(firstChild);
            long replacedAt = System.nanoTime();
            Await.until(BOUND, "answers through the second proxy", () -> probe.answeredAfter(replacedAt) >= 5,
                    probe::summary);
            probe.stop();
            probing.get(BOUND.toSeconds(), TimeUnit.SECONDS);

            assertTrue(secondChild != firstChild);
            assertEquals(0, probe.refused(), probe.summary());
            assertTrue(probe.startedBetween(killedAt, replacedAt) >= 1,
                    "a probe connected while no proxy ran: " + probe.summary());
            assertEquals(0, probe.failedBetween(killedAt + Duration.ofMillis(100).toNanos(), Long.MAX_VALUE),
                    "every probe that connected after the killed proxy was gone was answered: " + probe.summary());
            // The one request that may have been in flight inside the killed process is the only one allowed to fail.
            assertTrue(probe.failed() <= 1, probe.summary());
        } finally {
            probe.stop();
        }
    }

    @Test
    void theChildExits_whenTheSupervisorIsKilledWithSigkill_andThenThePortIsClosed() throws Exception {
        Process supervisor = startSupervisor(dir.resolve("supervisor.log"));
        ProcessHandle child = ProcessHandle.of(awaitRunningChild(-1)).orElseThrow();

        supervisor.destroyForcibly();

        assertTrue(supervisor.waitFor(10, TimeUnit.SECONDS));
        Await.until(BOUND, "the orphaned child's exit (its parent is no longer the supervisor)",
                () -> !child.isAlive(), child::info);
        Await.until(BOUND, "connections refused once neither process holds the socket",
                () -> Probe.once(trafficPort) == Outcome.REFUSED, () -> "port " + trafficPort);
    }

    @Test
    void sigtermToTheSupervisor_drainsTheChild_whoseLastLogLinesStillReachTheSupervisor() throws Exception {
        Path log = dir.resolve("supervisor.log");
        Process supervisor = startSupervisor(log);
        awaitRunningChild(-1);

        supervisor.toHandle().destroy();

        assertTrue(supervisor.waitFor(20, TimeUnit.SECONDS), "the supervisor exits");
        assertEquals(ExitCodes.OK, supervisor.exitValue());
        String output = Files.readString(log);
        assertTrue(output.contains("Rebound proxy stopped"), output);
        assertTrue(output.contains("ended with exit code 0"), output);
    }

    @Test
    void aSecondSupervisorForTheSameTrafficAddress_exits1_namingRebound_bind() throws Exception {
        startSupervisor(dir.resolve("supervisor.log"));
        awaitRunningChild(-1);
        Path secondLog = dir.resolve("second.log");

        Process second = launch(writeConfig("second.conf", FreePort.pick(), FreePort.pick()), secondLog);

        assertTrue(second.waitFor(20, TimeUnit.SECONDS), "the second supervisor gives up");
        assertEquals(ExitCodes.FAILURE, second.exitValue());
        String output = Files.readString(secondLog);
        assertTrue(output.contains("Cannot listen on 127.0.0.1:" + trafficPort + " (rebound.bind)"), output);
    }

    @Test
    void aSupervisorStartedWithAListeningSocketOnStandardInput_servesThatSocketInsteadOfBinding() throws Exception {
        int activatedPort = FreePort.pick();
        Path log = dir.resolve("supervisor.log");
        List<String> command = new ArrayList<>(List.of(java(), ADD_OPENS, SUN_NIO_CH, "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), SocketActivatingLauncher.class.getName(),
                Integer.toString(activatedPort)));
        // The supervisor itself runs without --add-opens: a socket it is given needs no JDK internals.
        command.addAll(supervisorCommand(writeConfig("rebound.conf", FreePort.pick(), supervisorPort), List.of()));
        start(command, log);

        awaitRunningChild(-1);

        assertEquals(Outcome.ANSWERED, Probe.once(activatedPort), Files.readString(log));
        assertEquals(Outcome.REFUSED, Probe.once(trafficPort), "rebound.bind is not bound");
        assertTrue(Files.readString(log).contains("on its standard input (socket activation)"), Files.readString(log));
    }

    private Process startSupervisor(Path log) throws Exception {
        Process supervisor = launch(writeConfig("rebound.conf", FreePort.pick(), supervisorPort), log);
        Await.until(BOUND, "the supervisor's admin", () -> admin.status().isPresent() || !supervisor.isAlive(),
                () -> "alive: " + supervisor.isAlive());
        return supervisor;
    }

    private Path writeConfig(String name, int childAdminPort, int supervisorAdminPort) throws IOException {
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
                }
                """.formatted(trafficPort, childAdminPort, backend.getAddress().getPort(), supervisorAdminPort));
    }

    private Process launch(Path config, Path log) throws IOException {
        return start(supervisorCommand(config, List.of(ADD_OPENS, SUN_NIO_CH)), log);
    }

    /** {@code rebound run} on this test's class path, as bin/rebound runs it (which adds the --add-opens). */
    private static List<String> supervisorCommand(Path config, List<String> jvmOptions) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "--config", config.toString()));
        return command;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private Process start(List<String> command, Path log) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        supervisors.add(process);
        return process;
    }

    /** Waits until the supervisor runs a child other than {@code previous} and returns its pid. */
    private long awaitRunningChild(long previous) {
        Await.until(BOUND, "a running child other than pid " + previous,
                () -> admin.runningChildPid().filter(pid -> pid != previous).isPresent(), admin::status);
        return admin.runningChildPid().orElseThrow();
    }

    enum Outcome { ANSWERED, REFUSED, FAILED }

    record Attempt(long startedNanos, Outcome outcome, String detail) {
    }

    /** One HTTP request on a new connection every 10 ms, bounded by {@link #MAX_PROBES}, until stopped. */
    static final class Probe {
        private final int port;
        private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
        private final AtomicBoolean stopped = new AtomicBoolean();

        Probe(int port) {
            this.port = port;
        }

        void run() {
            for (int i = 0; i < MAX_PROBES && !stopped.get(); i++) {
                long started = System.nanoTime();
                String[] detail = new String[1];
                Outcome outcome = once(port, detail);
                attempts.add(new Attempt(started, outcome, detail[0]));
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        static Outcome once(int port) {
            return once(port, new String[1]);
        }

        private static Outcome once(int port, String[] detail) {
            try (Socket socket = new Socket()) {
                try {
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                } catch (ConnectException e) {
                    detail[0] = e.toString();
                    return Outcome.REFUSED;
                }
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                detail[0] = response.lines().findFirst().orElse("(empty)");
                return response.startsWith("HTTP/1.1 200") && response.endsWith("This is apache1\n")
                        ? Outcome.ANSWERED : Outcome.FAILED;
            } catch (IOException e) {
                detail[0] = e.toString();
                return Outcome.FAILED;
            }
        }

        void stop() {
            stopped.set(true);
        }

        long answered() {
            return count(Outcome.ANSWERED, Long.MIN_VALUE, Long.MAX_VALUE);
        }

        long answeredAfter(long nanos) {
            return count(Outcome.ANSWERED, nanos, Long.MAX_VALUE);
        }

        long refused() {
            return count(Outcome.REFUSED, Long.MIN_VALUE, Long.MAX_VALUE);
        }

        long failed() {
            return count(Outcome.FAILED, Long.MIN_VALUE, Long.MAX_VALUE);
        }

        long failedBetween(long from, long to) {
            return count(Outcome.FAILED, from, to);
        }

        long startedBetween(long from, long to) {
            return attempts.stream().filter(a -> a.startedNanos() >= from && a.startedNanos() < to).count();
        }

        private long count(Outcome outcome, long from, long to) {
            return attempts.stream().filter(a -> a.outcome() == outcome)
                    .filter(a -> a.startedNanos() >= from && a.startedNanos() < to).count();
        }

        String summary() {
            return attempts.size() + " probes: " + answered() + " answered, " + refused() + " refused, " + failed()
                    + " failed; not answered: " + attempts.stream().filter(a -> a.outcome() != Outcome.ANSWERED)
                    .collect(Collectors.groupingBy(Attempt::detail, TreeMap::new, Collectors.counting()));
        }
    }
}

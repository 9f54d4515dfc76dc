package io.rebound.proxy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.testing.ChildProxy;
import io.rebound.testing.ClosedAfterEach;
import io.rebound.testing.RawConnection;
import io.rebound.testing.TestBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request on a keep-alive connection costs the proxy no {@code epoll_ctl}: counted by {@code strace} attached to a
 * real proxy process. Undertow suspends reads on the client connection for each request and resumes them after the
 * response; without {@link LazyReadSuspension} each suspend and resume reached the JDK's epoll selector as an
 * {@code EPOLL_CTL_DEL} and an {@code EPOLL_CTL_ADD}, two calls per request.
 */
class KeepAliveSystemCallsProcessTest {
    private static final int REQUESTS = 50;
    private static final Duration ATTACH = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    @RegisterExtension
    final ClosedAfterEach started = new ClosedAfterEach();

    @Test
    void requestsOnAKeepAliveConnectionMakeNoEpollCtl() throws Exception {
        TestBackend backend = started.add(TestBackend.start("apache1"));
        Path config = Files.writeString(dir.resolve("rebound.conf"), """
                rebound {
                  bind = "127.0.0.1:0"
                  admin.bind = "127.0.0.1:0"
                  servers = [ { name = apache1, address = "%s", check = off } ]
                  access-log = off
                }
                """.formatted(backend.address()));
        ChildProxy child = started.add(ChildProxy.start(config));
        try (RawConnection client = RawConnection.open(child.trafficPort())) {
            // The first request registers the client socket and opens the pooled server connection: before the count.
            assertOk(client.send(RawConnection.get("/first")).readResponse());
            Path trace = dir.resolve("strace.txt");
            Process strace = new ProcessBuilder("strace", "-f", "-qq", "-e", "trace=epoll_ctl", "-o",
                    trace.toString(), "-p", Long.toString(child.process().pid()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("strace.log").toFile()).start();
            started.add(strace::destroyForcibly);
            await("strace attached to every thread of the proxy").atMost(ATTACH)
                    .until(() -> tracedBy(child.process().pid(), strace));
            for (int i = 0; i < REQUESTS; i++) {
                assertOk(client.send(RawConnection.get("/request-" + i)).readResponse());
            }
            strace.destroy(); // SIGTERM: strace detaches and writes what it saw
            assertTrue(strace.waitFor(ATTACH.toSeconds(), TimeUnit.SECONDS), "strace did not stop");
            List<String> calls;
            try (Stream<String> lines = Files.lines(trace)) {
                calls = lines.filter(line -> line.contains("epoll_ctl(")).toList();
            }
            assertEquals(REQUESTS + 1, backend.trafficRequests());
            // Two per request before lazy suspension: 100. A few may come from the JVM's other threads.
            assertTrue(calls.size() < REQUESTS / 5, calls.size() + " epoll_ctl for " + REQUESTS + " requests:\n"
                    + String.join("\n", calls));
        }
    }

    private static void assertOk(String response) {
        assertTrue(response.startsWith("HTTP/1.1 200"), RawConnection.escape(response));
    }

    /** Whether every thread of process {@code pid} is traced by {@code strace} (which must still run). */
    private boolean tracedBy(long pid, Process strace) throws IOException {
        if (!strace.isAlive()) {
            throw new AssertionError("strace exited " + strace.exitValue() + ": "
                    + Files.readString(dir.resolve("strace.log")));
        }
        String tracer = "TracerPid:\t" + strace.pid();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.allMatch(task -> statusOf(task).contains(tracer) || !Files.exists(task));
        }
    }

    private static String statusOf(Path task) {
        try {
            return Files.readString(task.resolve("status"));
        } catch (NoSuchFileException gone) {
            return "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

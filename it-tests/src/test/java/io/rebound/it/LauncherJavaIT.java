package io.rebound.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Java runs Rebound: bin/rebound takes JAVA_HOME's (else {@code java} on PATH), as Maven and so these drills
 * do, and the supervisor starts the proxy with its own. dev/test runs the drills a second time under the newest JDK
 * and relies on this to run the distribution on that JDK too.
 */
class LauncherJavaIT {
    private static final Logger LOG = LoggerFactory.getLogger(LauncherJavaIT.class);

    @RegisterExtension
    static final ApachesExtension APACHES = new ApachesExtension();

    @Test
    void theSupervisorAndTheProxyRunOnTheJavaThatRunsTheDrills() throws IOException {
        Path drillsJava = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        try (ReboundProcess rebound = ReboundProcess.start("LauncherJavaIT",
                ReboundConfig.forServers(APACHES.cluster().servers()))) {
            Optional<Path> supervisorJava = executable(rebound.supervisorPid());
            Optional<Path> proxyJava = executable(rebound.proxyPid());
            LOG.info("drills on Java {} ({}); supervisor on {}; proxy on {}", Runtime.version(), drillsJava,
                    supervisorJava.orElse(null), proxyJava.orElse(null));

            assertEquals(Optional.of(drillsJava), supervisorJava, "the supervisor's java");
            assertEquals(Optional.of(drillsJava), proxyJava, "the proxy's java");
        }
    }

    /** The program a process runs, symbolic links resolved (on Linux, /proc/PID/exe). */
    private static Optional<Path> executable(long pid) throws IOException {
        Optional<String> command = ProcessHandle.of(pid).flatMap(process -> process.info().command());
        return command.isEmpty() ? Optional.empty() : Optional.of(Path.of(command.get()).toRealPath());
    }
}

package io.rebound.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChildCommandTest {

    @Test
    void theProxyRunsOnThisJvmAndClassPathWithItsOptionsRoleAndSupervisedFlag() {
        Path config = Path.of("conf", "rebound.conf");

        ChildCommand command = ChildCommand.proxy(List.of("-XX:+UseSerialGC", "-Xmx512m"), config);

        assertEquals(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx512m", "-Drebound.role=proxy",
                "-cp", System.getProperty("java.class.path"),
                "io.rebound.proxy.ProxyMain", "--config", config.toAbsolutePath().toString(), "--supervised"),
                command.command());
    }
}

package io.rebound.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildCommandTest {

    @Test
    void theProxyRunsOnThisJvmAndClassPathWithItsOptionsRoleAndSupervisedFlag() {
        Path config = Path.of("conf", "rebound.conf");

        ChildCommand command = ChildCommand.proxy(List.of("-XX:+UseSerialGC", "-Xmx512m"), config, ChildInput.PIPE);

        assertEquals(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx512m", "-Drebound.role=proxy",
                "-cp", System.getProperty("java.class.path"),
                "io.rebound.proxy.ProxyMain", "--config", config.toAbsolutePath().toString(), "--supervised"),
                command.command());
        assertEquals(ChildInput.PIPE, command.input());
    }

    @Test
    void onTheSharedListenerTheProxyIsToldTheSupervisorsPidInsteadOfSupervised() {
        Path config = Path.of("rebound.conf");

        ChildCommand command = ChildCommand.proxy(List.of(), config, ChildInput.SHARED_LISTENER);

        assertEquals(List.of("io.rebound.proxy.ProxyMain", "--config", config.toAbsolutePath().toString(),
                "--supervised-by", Long.toString(ProcessHandle.current().pid())),
                command.command().subList(command.command().size() - 5, command.command().size()));
        assertEquals(ChildInput.SHARED_LISTENER, command.input());
    }

    @Test
    void inTheDistributionTheProxyRunsFromItsHomeWithTheClassDataOptionsForThisJvm(@TempDir Path home)
            throws IOException {
        Path archive = Files.createDirectories(home.resolve("lib"))
                .resolve(ClassDataArchive.fileName(System.getProperty("java.vm.version")));
        Files.writeString(archive, "archive");
        Path config = Path.of("rebound.conf");

        ChildCommand command = ChildCommand.proxy(List.of("-Xmx512m"), config, home.toString(), "conf/logback.xml",
                ChildInput.PIPE);

        List<String> expected = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dlogback.configurationFile=" + Path.of("conf/logback.xml").toAbsolutePath(),
                "-Drebound.home=" + home.toAbsolutePath()));
        expected.addAll(ClassDataArchive.optionsForThisJvm(home.toAbsolutePath()));
        expected.addAll(List.of("-Drebound.role=proxy", "-cp", "lib/*",
                "io.rebound.proxy.ProxyMain", "--config", config.toAbsolutePath().toString(), "--supervised"));
        assertEquals(expected, command.command());
        assertEquals(home.toAbsolutePath(), command.directory());
        if (Runtime.version().feature() < ClassDataArchive.AUTO_CREATE_SINCE) {
            assertTrue(command.command().contains("-XX:SharedArchiveFile=" + archive), "the build's archive on 17");
        } else {
            assertTrue(command.command().contains("-XX:+AutoCreateSharedArchive"), "an archive of its own");
        }
    }
}

package io.rebound.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void inTheDistributionTheProxyRunsFromItsHomeWithTheClassDataArchiveMadeForThisJvm(@TempDir Path home)
            throws IOException {
        Path archive = Files.createDirectories(home.resolve("lib"))
                .resolve(ClassDataArchive.fileName(System.getProperty("java.vm.version")));
        Files.writeString(archive, "archive");
        Path config = Path.of("rebound.conf");

        ChildCommand command = ChildCommand.proxy(List.of("-Xmx512m"), config, home.toString(), "conf/logback.xml",
                ChildInput.PIPE);

        assertEquals(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dlogback.configurationFile=" + Path.of("conf/logback.xml").toAbsolutePath(),
                "-Drebound.home=" + home.toAbsolutePath(), "-XX:SharedArchiveFile=" + archive,
                "-Drebound.role=proxy", "-cp", "lib/*",
                "io.rebound.proxy.ProxyMain", "--config", config.toAbsolutePath().toString(), "--supervised"),
                command.command());
        assertEquals(home.toAbsolutePath(), command.directory());
    }

    @Test
    void anArchiveMadeByAnotherJvmIsNotPassed(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve("lib"));
        Files.writeString(home.resolve("lib").resolve(ClassDataArchive.fileName("1.2.3-other")), "archive");

        ChildCommand command = ChildCommand.proxy(List.of(), Path.of("rebound.conf"), home.toString(), null,
                ChildInput.PIPE);

        assertFalse(command.command().stream().anyMatch(part -> part.startsWith("-XX:SharedArchiveFile")),
                command.command().toString());
    }
}

package io.rebound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.config.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's answers to wrong input; nothing is started. */
class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void noCommandIsAUsageError() {
        assertEquals(ExitCodes.USAGE, execute());
        assertTrue(err().contains("Usage: rebound <command>"), err());
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertEquals(ExitCodes.USAGE, execute("restart-everything"));
        assertTrue(err().contains("unknown command 'restart-everything'"), err());
    }

    @Test
    void runWithoutConfigIsAUsageError() {
        assertEquals(ExitCodes.USAGE, execute("run"));
        assertEquals(ExitCodes.USAGE, execute("run", "--conf", "x.conf"));
        assertEquals(ExitCodes.USAGE, execute("status", "--config"));
        assertEquals(ExitCodes.USAGE, execute("check-config"));
        assertEquals(ExitCodes.USAGE, execute("demo", "now"));
    }

    @Test
    void runWithAStatusPageHistoryOutOfRangeExits78NamingTheKeyAndFile() throws Exception {
        Path config = dir.resolve("rebound.conf");
        Files.writeString(config, "rebound.admin.bind = \"127.0.0.1:8404\"\nrebound.drain-timeout = 10s\n"
                + "rebound.supervisor.status-page.history = 2h\n");

        assertEquals(ExitCodes.CONFIG, execute("run", "--config", config.toString()));
        assertTrue(err().contains("rebound.conf: 3: Invalid value at 'rebound.supervisor.status-page.history': 2h"),
                err());
        assertTrue(err().contains("from 1m to 1h"), err());
    }

    @Test
    void runWithAMissingConfigFileExits78NamingTheFile() {
        Path missing = dir.resolve("missing.conf");

        assertEquals(ExitCodes.CONFIG, execute("run", "--config", missing.toString()));
        assertTrue(err().contains(missing.toString()), err());
    }

    @Test
    void runWithAnInvalidSupervisorSettingExits78NamingTheKeyAndFile() throws Exception {
        Path config = dir.resolve("rebound.conf");
        Files.writeString(config, "rebound.admin.bind = \"127.0.0.1:8404\"\nrebound.drain-timeout = 10s\n"
                + "rebound.supervisor.restart = sometimes\n");

        assertEquals(ExitCodes.CONFIG, execute("run", "--config", config.toString()));
        assertTrue(err().contains("rebound.conf: 3: Invalid value at 'rebound.supervisor.restart': sometimes"), err());
    }

    @Test
    void checkConfigReportsEveryProblemOfTheSupervisorPartAndExits78() throws Exception {
        Path config = dir.resolve("rebound.conf");
        Files.writeString(config, String.join("\n",
                "rebound.admin.bind = \"127.0.0.1:8404\"",
                "rebound.drain-timeout = 10s",
                "rebound.servers = [ { name = apache1, address = \"127.0.0.1:8081\" } ]",
                "rebound.supervisor {",
                "  restart = sometimes",
                "  stop-timeout = 5s",
                "  restart-sec = 1s",
                "}"));

        assertEquals(ExitCodes.CONFIG, execute("check-config", config.toString()));
        assertTrue(err().contains("3 configuration errors"), err());
        assertTrue(err().contains("'rebound.supervisor.restart'"), err());
        assertTrue(err().contains("'rebound.supervisor.stop-timeout'"), err());
        assertTrue(err().contains("'rebound.supervisor.restart-sec'"), err());
    }

    @Test
    void checkConfigReportsTheProxysAndTheSupervisorsProblemsTogether() throws Exception {
        Path config = dir.resolve("rebound.conf");
        Files.writeString(config, String.join("\n",
                "rebound {",
                "  servers = [ { name = apache1, address = \"127.0.0.1:8081\" } ]",
                "  check { interval = 2s, timeout = 5s }",
                "  supervisor.restart = sometimes",
                "}"));

        assertEquals(ExitCodes.CONFIG, execute("check-config", config.toString()));
        assertTrue(err().contains("2 configuration errors"), err());
        assertTrue(err().contains("rebound.conf: 3: Invalid value at 'rebound.check.timeout': 5s"), err());
        assertTrue(err().contains("rebound.conf: 4: Invalid value at 'rebound.supervisor.restart': sometimes"),
                err());
    }

    @Test
    void checkConfigOfAdminListenersOffLoopbackWithoutTokenFiles_exits78NamingBothTokenKeysOnce() throws Exception {
        Path config = dir.resolve("rebound.conf");
        Files.writeString(config, String.join("\n",
                "rebound {",
                "  servers = [ { name = apache1, address = \"127.0.0.1:8081\" } ]",
                "  admin.bind = \"*:8404\"",
                "  supervisor.admin.bind = \"0.0.0.0:8405\"",
                "}"));

        assertEquals(ExitCodes.CONFIG, execute("check-config", config.toString()));
        assertTrue(err().contains("2 configuration errors"), err());
        assertTrue(err().contains("rebound.conf: 3: Invalid value at 'rebound.admin.bind': 0.0.0.0:8404"), err());
        assertTrue(err().contains("while rebound.admin.token-file is not set"), err());
        assertTrue(err().contains("rebound.conf: 4: Invalid value at 'rebound.supervisor.admin.bind': 0.0.0.0:8405"),
                err());
        assertTrue(err().contains("while rebound.supervisor.admin.token-file is not set"), err());
    }

    @Test
    void runWithAnEmptyAdminTokenFile_exits78NamingTheKeyAndTheFile() throws Exception {
        Path token = Files.writeString(dir.resolve("admin.token"), "\n");
        Path config = dir.resolve("rebound.conf");
        Files.writeString(config, "rebound.servers = [ { name = apache1, address = \"127.0.0.1:8081\" } ]\n"
                + "rebound.supervisor.admin.token-file = \"" + token + "\"\n");

        assertEquals(ExitCodes.CONFIG, execute("run", "--config", config.toString()));
        assertTrue(err().contains("rebound.conf: 2: Invalid value at 'rebound.supervisor.admin.token-file': " + token),
                err());
        assertTrue(err().contains("this one is empty"), err());
    }

    @Test
    void checkConfigAcceptsTheDistributionsExampleConfiguration() throws Exception {
        Path example = Path.of("..", "packaging", "src", "dist", "conf", "rebound.conf");

        assertEquals(ExitCodes.OK, execute("check-config", example.toString()), err());
    }

    @Test
    void checkConfigWarnsOfANameThatDoesNotResolveNowButExits0() throws Exception {
        Path config = dir.resolve("rebound.conf");
        // Nothing answers DNS on port 9 (discard): the lookup fails at once or after the timeout.
        Files.writeString(config, String.join("\n",
                "rebound.servers = [ { name = app, address = \"app.rebound.invalid:80\" },",
                "  { name = ip, address = \"127.0.0.1:8081\" } ]",
                "rebound.resolvers { nameservers = [\"127.0.0.1:9\"], timeout = 200ms }"));

        assertEquals(ExitCodes.OK, execute("check-config", config.toString()), err());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("Warning: server app: app.rebound.invalid does not resolve now (DNS: "), printed);
        assertTrue(printed.contains("it starts DOWN"), printed);
        assertTrue(printed.contains("Configuration OK"), printed);
        assertTrue(!printed.contains("server ip"), printed);
    }

    private int execute(String... args) {
        return Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}

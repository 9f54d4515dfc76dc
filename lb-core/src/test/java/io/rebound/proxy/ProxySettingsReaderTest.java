package io.rebound.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.balance.BalanceAlgorithm;
import io.rebound.config.ConfigException;
import io.rebound.config.ConfigFiles;
import io.rebound.config.ConfigProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxySettingsReaderTest {
    private static final String TWO_SERVERS = """
            rebound.servers = [
              { name = apache1, address = "127.0.0.1:8081" }
              { name = apache2, address = "127.0.0.1:8082", weight = 3, check = off }
            ]
            """;

    @TempDir
    Path dir;

    @Test
    void aFileWithOnlyServersGetsEveryOtherValueFromReferenceConf() {
        ProxySettings settings = read(TWO_SERVERS);
        assertEquals("0.0.0.0:8080", settings.frontend().bind().toString());
        assertEquals("127.0.0.1:8404", settings.admin().bind().toString());
        assertEquals(BalanceAlgorithm.ROUND_ROBIN, settings.backend().balance());
        assertEquals(Duration.ofSeconds(2), settings.backend().check().interval());
        assertEquals(2, settings.backend().check().rise());
        assertEquals(3, settings.backend().check().fall());
        assertEquals(ServerConnectionMode.KEEP_ALIVE, settings.forwarding().serverConnection());
        assertTrue(settings.timeouts().poolIdle().compareTo(Duration.ofSeconds(5)) < 0,
                "pool-idle must stay below Apache's 5 s KeepAliveTimeout");
        assertEquals(1, settings.backend().servers().get(0).weight());
        assertTrue(settings.backend().servers().get(0).check());
        assertEquals(3, settings.backend().servers().get(1).weight());
        assertEquals(false, settings.backend().servers().get(1).check());
    }

    @Test
    void theClientLimitsDefaultNearHaproxyAndNginx() {
        ProxySettings settings = read(TWO_SERVERS);
        ClientLimits limits = settings.frontend().limits();
        assertEquals(20_000, limits.clientConnections());
        assertEquals(8 * 1024, limits.requestLine());
        assertEquals(8 * 1024, limits.headerField());
        assertEquals(100, limits.headerFields());
        assertEquals(16 * 1024, limits.requestHead());
        assertEquals(64 * 1024, settings.frontend().requestBuffer().size());
        assertEquals(Duration.ofSeconds(10), settings.timeouts().requestHead());
        assertEquals(0, settings.forwarding().maxConnectionsPerServer());
    }

    @Test
    void limitsThatContradictEachOtherAreReportedAtTheirKeys() {
        List<ConfigProblem> problems = problems(TWO_SERVERS + """
                rebound.limits { request-head = 4KiB, request-line = 8KiB, header-field = 8KiB, unfinished-heads = 2KiB }
                rebound.request-buffer { size = 1MiB, total = 64KiB }
                rebound.limits.client-connections = 0
                """);
        assertEquals(List.of("rebound.limits.request-line", "rebound.limits.header-field",
                "rebound.limits.unfinished-heads", "rebound.request-buffer.total", "rebound.limits.client-connections"),
                problems.stream().map(ConfigProblem::path).toList());
    }

    @Test
    void anUnknownKeyIsReportedWithItsFullPathFileAndLine() {
        List<ConfigProblem> problems = problems(TWO_SERVERS + "rebound.check.intervall = 3s\n");
        assertEquals(1, problems.size());
        assertEquals("rebound.check.intervall", problems.get(0).path());
        assertTrue(problems.get(0).describe().startsWith("rebound.conf: 5:"), problems.get(0).describe());
    }

    @Test
    void theSupervisorsSubtreeIsLeftToTheSupervisor() {
        read(TWO_SERVERS + "rebound.supervisor { restart = always, anything-else = 1 }\n");
    }

    @Test
    void aCheckTimeoutNotBelowTheIntervalIsRejectedWithBothValues() {
        List<ConfigProblem> problems = problems(TWO_SERVERS + "rebound.check { interval = 2s, timeout = 5s }\n");
        assertEquals(1, problems.size());
        assertEquals("rebound.conf: 5: Invalid value at 'rebound.check.timeout': 5s (expected: less than interval 2s)",
                problems.get(0).describe());
    }

    @Test
    void duplicateServerNamesAreRejected() {
        List<ConfigProblem> problems = problems("""
                rebound.servers = [
                  { name = apache1, address = "127.0.0.1:8081" }
                  { name = apache1, address = "127.0.0.1:8082" }
                ]
                """);
        assertEquals(1, problems.size());
        assertEquals("rebound.servers[1].name", problems.get(0).path());
        assertTrue(problems.get(0).expected().contains("unique"), problems.get(0).describe());
    }

    @Test
    void anEmptyServerListIsRejected() {
        List<ConfigProblem> problems = problems("rebound.servers = []\n");
        assertEquals(1, problems.size());
        assertEquals("rebound.servers", problems.get(0).path());
        assertTrue(problems.get(0).expected().startsWith("at least one server"), problems.get(0).describe());
    }

    @Test
    void anUnknownBalanceNameIsRejectedListingTheKnownOnes() {
        List<ConfigProblem> problems = problems(TWO_SERVERS + "rebound.balance = random\n");
        assertEquals(1, problems.size());
        assertEquals("rebound.balance", problems.get(0).path());
        assertEquals("one of round-robin, weighted-round-robin, least-connections", problems.get(0).expected());
    }

    @Test
    void badAddressesPortsDurationsAndRangesAreAllReportedAtOnce() {
        List<ConfigProblem> problems = problems("""
                rebound {
                  bind = "127.0.0.1"
                  admin.bind = "127.0.0.1:70000"
                  servers = [ { name = "bad name", address = "10.0.0.1:0", weight = 0, color = blue } ]
                  check { interval = soon, rise = 0, expect-status = "600" }
                  timeouts.connect = -1s
                  retries = -1
                  server-connection = sometimes
                  max-request-body = lots
                }
                """);
        List<String> paths = problems.stream().map(ConfigProblem::path).sorted().toList();
        assertEquals(List.of("rebound.admin.bind", "rebound.bind", "rebound.check.expect-status",
                "rebound.check.interval", "rebound.check.rise", "rebound.max-request-body", "rebound.retries",
                "rebound.server-connection", "rebound.servers[0].address", "rebound.servers[0].color",
                "rebound.servers[0].name", "rebound.servers[0].weight", "rebound.timeouts.connect"), paths);
        for (ConfigProblem problem : problems) {
            assertTrue(problem.describe().startsWith("rebound.conf: "), problem.describe());
        }
    }

    @Test
    void anInvalidFileFailsWithTheFileNameAndLine() throws Exception {
        Path file = dir.resolve("broken.conf");
        Files.writeString(file, "rebound {\n  bind = \n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ProxySettingsReader.read(ConfigFiles.load(file)));
        assertTrue(e.getMessage().contains("broken.conf"), e.getMessage());
    }

    @Test
    void aMissingFileIsAConfigurationError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigFiles.load(dir.resolve("missing.conf")));
        assertTrue(e.getMessage().contains("missing.conf"), e.getMessage());
    }

    @Test
    void theDemoConfigurationIsValid() throws Exception {
        ProxySettings settings = ProxySettingsReader.read(ConfigFiles.load(io.rebound.demo.DemoMain.demoConfigFile()));
        assertEquals(3, settings.backend().servers().size());
        assertEquals("127.0.0.1:8080", settings.frontend().bind().toString());
    }

    private static ProxySettings read(String hocon) {
        return ProxySettingsReader.read(ConfigFiles.parse(hocon, "rebound.conf"));
    }

    private static List<ConfigProblem> problems(String hocon) {
        return assertThrows(ConfigException.class, () -> read(hocon)).problems();
    }
}

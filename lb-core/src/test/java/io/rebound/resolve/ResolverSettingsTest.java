package io.rebound.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.balance.ServerSettings;
import io.rebound.config.ConfigException;
import io.rebound.config.ConfigFiles;
import io.rebound.config.ConfigProblem;
import io.rebound.proxy.ProxySettings;
import io.rebound.proxy.ProxySettingsReader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResolverSettingsTest {
    private static final String ONE_SERVER = "rebound.servers = [ { name = app, address = \"app.internal:80\" } ]\n";

    @Test
    void theResolversDefaultToTheMachinesNameServersAndHaproxysHolds() {
        ResolverSettings resolvers = read(ONE_SERVER).backend().resolvers();
        assertEquals(List.of(), resolvers.nameservers());
        assertEquals(Duration.ofSeconds(10), resolvers.interval());
        assertEquals(Duration.ofSeconds(1), resolvers.timeout());
        assertEquals(Duration.ofSeconds(30), resolvers.holdNx());
        assertEquals(Duration.ofSeconds(30), resolvers.holdTimeout());
        assertEquals(List.of("app"), read(ONE_SERVER).backend().servers().stream().map(ServerSettings::name).toList());
    }

    @Test
    void everyInvalidResolverKeyIsReportedWithItsFullPath() {
        List<String> paths = problems(ONE_SERVER + """
                rebound.resolvers { nameservers = ["10.0.0.2:53", "nowhere", "10.0.0.3:0"], interval = 5ms,
                  hold-nx = -1s, hold-timeout = soon }
                """).stream().map(ConfigProblem::path).toList();
        assertEquals(List.of("rebound.resolvers.nameservers[1]", "rebound.resolvers.nameservers[2]",
                "rebound.resolvers.interval", "rebound.resolvers.hold-nx", "rebound.resolvers.hold-timeout"), paths);
        assertEquals(List.of("rebound.resolvers.timeout"),
                problems(ONE_SERVER + "rebound.resolvers { interval = 1s, timeout = 1s }").stream()
                        .map(ConfigProblem::path).toList());
    }

    @Test
    void aGroupEntryStandsForMaxServersNamedAfterIt() {
        ProxySettings settings = read("""
                rebound.servers = [
                  { name = web, address = "web.internal:80", addresses = all, max = 3 }
                  { name = api, address = "10.0.0.5:80" }
                ]
                """);
        assertEquals(List.of("web-1", "web-2", "web-3", "api"),
                settings.backend().servers().stream().map(ServerSettings::name).toList());
        assertEquals("web", settings.backend().servers().get(2).group());
        assertEquals("", settings.backend().servers().get(3).group());
    }

    @Test
    void aGroupNeedsAHostNameAndNamesThatClashWithNoOtherServer() {
        List<String> problems = problems("""
                rebound.servers = [
                  { name = web-2, address = "10.0.0.1:80" }
                  { name = web, address = "web.internal:80", addresses = all, max = 2 }
                  { name = ips, address = "10.0.0.2:80", addresses = all }
                  { name = odd, address = "odd.internal:80", addresses = some, max = 0 }
                ]
                """).stream().map(p -> p.path() + " " + p.value()).toList();
        assertEquals(List.of("rebound.servers[1].name web", "rebound.servers[2].address 10.0.0.2:80",
                "rebound.servers[3].addresses some", "rebound.servers[3].max 0"), problems);
    }

    private static ProxySettings read(String hocon) {
        return ProxySettingsReader.read(ConfigFiles.parse(hocon, "rebound.conf"));
    }

    private static List<ConfigProblem> problems(String hocon) {
        return assertThrows(ConfigException.class, () -> read(hocon)).problems();
    }

    @Test
    void problemsNameTheFile() {
        for (ConfigProblem problem : problems(ONE_SERVER + "rebound.resolvers.interval = 1ms")) {
            assertTrue(problem.describe().startsWith("rebound.conf: "), problem.describe());
        }
    }
}

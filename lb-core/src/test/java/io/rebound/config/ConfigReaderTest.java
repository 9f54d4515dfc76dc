package io.rebound.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {

    private static ConfigReader reader(String hocon) {
        return new ConfigReader(ConfigFactory.parseString(hocon,
                com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription("app.conf")));
    }

    @Test
    void everyProblemIsCollectedAndThrownAtOnce() {
        ConfigReader reader = reader("a { port = 70000, wait = soon }");
        reader.intInRange("a.port", 1, 65535);
        reader.duration("a.wait", Duration.ZERO);
        reader.string("a.missing");
        ConfigException e = assertThrows(ConfigException.class, reader::throwIfProblems);
        assertEquals(3, e.problems().size());
        assertTrue(e.getMessage().startsWith("3 configuration errors"), e.getMessage());
        assertEquals("app.conf: 1: Missing value at 'a.missing' (expected: a string)",
                e.problems().get(2).describe());
    }

    @Test
    void unknownKeysAreFoundInNestedObjectsWithTheirFullPath() {
        Config allowed = ConfigFactory.parseString("r { known { x = 1 }, other = 2 }");
        ConfigReader reader = reader("r {\n known {\n x = 1\n y = 2\n }\n typo = 3\n}");
        reader.rejectUnknownKeys("r", allowed, Set.of());
        List<String> paths = reader.problems().stream().map(ConfigProblem::path).sorted().toList();
        assertEquals(List.of("r.known.y", "r.typo"), paths);
        assertTrue(reader.problems().stream().anyMatch(p -> p.describe().startsWith("app.conf: 4:")));
    }

    @Test
    void aSkippedSubtreeIsNotChecked() {
        Config allowed = ConfigFactory.parseString("r { x = 1 }");
        ConfigReader reader = reader("r { x = 1, sub { anything = 1 } }");
        reader.rejectUnknownKeys("r", allowed, Set.of("r.sub"));
        assertEquals(List.of(), reader.problems());
    }

    @Test
    void aSetOfWholeNumbersKeepsTheValidOnes_andReportsEachInvalidOneAtTheListsPath() {
        ConfigReader reader = reader("codes = [78, 300, x, 78, 1]");
        assertEquals(List.of(78, 1), List.copyOf(reader.intSet("codes", 0, 255, "exit codes")));
        assertEquals(List.of("app.conf: 1: Invalid value at 'codes': 300 (expected: exit codes)",
                "app.conf: 1: Invalid value at 'codes': x (expected: exit codes)"),
                reader.problems().stream().map(ConfigProblem::describe).toList());
    }

    @Test
    void aListOfNonBlankStringsRejectsBlankAndNonStringElements_andAValueThatIsNoList() {
        ConfigReader reader = reader("opts = [\"-Xmx1g\", \" \", 5]\nsingle = \"-Xmx1g\"");
        assertEquals(List.of("-Xmx1g"), reader.nonBlankStrings("opts", "options"));
        assertEquals(List.of(), reader.nonBlankStrings("single", "options"));
        assertEquals(List.of(), reader.nonBlankStrings("missing", "options"));
        assertEquals(List.of("opts", "opts", "single", "missing"),
                reader.problems().stream().map(ConfigProblem::path).toList());
        assertEquals("", reader.problems().get(3).value());
    }

    @Test
    void listElementsReportTheirIndexAndFallBackToDefaults() {
        ConfigReader reader = reader("defaults { weight = 1 }\nitems = [ { name = a }, { name = b, weight = x } ]");
        List<ConfigReader> elements = reader.elements("items", "defaults");
        assertEquals(1, elements.get(0).intInRange("weight", 1, 10));
        elements.get(1).intInRange("weight", 1, 10);
        assertEquals("items[1].weight", reader.problems().get(0).path());
    }

    @Test
    void aListenAddressMayUsePortZeroButAServerAddressMayNot() {
        ConfigReader reader = reader("listen = \"127.0.0.1:0\"\nserver = \"127.0.0.1:0\"");
        assertEquals(0, reader.listenAddress("listen").port());
        reader.hostPort("server");
        assertEquals("server", reader.problems().get(0).path());
    }

    @Test
    void enumWordsAreKebabCase() {
        assertEquals("weighted-round-robin",
                ConfigText.word(io.rebound.balance.BalanceAlgorithm.WEIGHTED_ROUND_ROBIN));
    }
}

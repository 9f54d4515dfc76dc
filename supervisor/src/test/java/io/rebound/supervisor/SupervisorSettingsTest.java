package io.rebound.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.config.ConfigException;
import io.rebound.config.ConfigFiles;
import io.rebound.config.ConfigProblem;
import io.rebound.config.ConfigReader;
import io.rebound.config.HostPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorSettingsTest {
    /** The three keys of the proxy's part the supervisor reads (their defaults live in lb-core's reference.conf). */
    private static final String PROXY_KEYS = "rebound.admin.bind = \"127.0.0.1:8404\"\nrebound.drain-timeout = 10s\n"
            + "rebound.bind = \"*:8080\"\n";

    @TempDir
    Path dir;

    @Test
    void theDefaultsOfReferenceConfAreValid() {
        SupervisorSettings settings = read("");

        assertEquals(new HostPort("127.0.0.1", 8405), settings.admin().bind());
        assertEquals(RestartPolicy.ALWAYS, settings.restarts().policy());
        assertEquals(Duration.ofMillis(100), settings.restarts().delay());
        assertEquals(5, settings.restarts().startLimit().burst());
        assertEquals(Duration.ofSeconds(10), settings.restarts().startLimit().interval());
        assertEquals(Duration.ofSeconds(10), settings.restarts().maxDelay());
        assertEquals(Set.of(78), settings.restarts().preventExitStatus());
        assertEquals(new LivenessSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 3), settings.liveness());
        assertTrue(settings.child().jvmOptions().contains("-XX:+UseSerialGC"), settings.child().jvmOptions()::toString);
        assertEquals(new HostPort("127.0.0.1", 8404), settings.child().admin().bind());
        assertTrue(settings.listener().share(), "share-listener");
        assertEquals(new HostPort("0.0.0.0", 8080), settings.listener().bind());
        assertEquals(0, settings.listener().standby());
        assertEquals(new StatusPageSettings(true, Duration.ofMinutes(10)), settings.statusPage());
    }

    @Test
    void theStatusPageCanBeTurnedOff_andItsHistoryIsAtMostAnHour() {
        SupervisorSettings settings = read("rebound.supervisor.status-page { enabled = false, history = 1h }");

        assertEquals(new StatusPageSettings(false, Duration.ofHours(1)), settings.statusPage());
        assertEquals(3600, settings.statusPage().samples());
    }

    @Test
    void aStatusPageHistoryOutOfRange_orAnEnabledThatIsNoBoolean_isAProblemNamingTheKeyPath() {
        for (String history : List.of("2h", "30s", "soon")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> read("rebound.supervisor.status-page.history = " + history));
            assertProblemAt(e, "rebound.supervisor.status-page.history");
        }
        assertTrue(assertThrows(ConfigException.class, () -> read("rebound.supervisor.status-page.history = 2h"))
                .getMessage().contains("a duration from 1m to 1h"));
        ConfigException notBoolean = assertThrows(ConfigException.class,
                () -> read("rebound.supervisor.status-page.enabled = maybe"));
        assertProblemAt(notBoolean, "rebound.supervisor.status-page.enabled");
    }

    @Test
    void aStandbyNeedsTheSharedListener_andIsZeroOrOne() {
        assertEquals(1, read("rebound.supervisor.standby = 1").listener().standby());

        ConfigException withoutSharing = assertThrows(ConfigException.class,
                () -> read("rebound.supervisor { standby = 1, share-listener = off }"));
        assertProblemAt(withoutSharing, "rebound.supervisor.standby");
        assertTrue(withoutSharing.getMessage().contains("share-listener is off"), withoutSharing.getMessage());
        assertProblemAt(assertThrows(ConfigException.class, () -> read("rebound.supervisor.standby = 2")),
                "rebound.supervisor.standby");
    }

    @Test
    void stopTimeoutAutoIsTheDrainTimeoutPlusAMargin() {
        SupervisorSettings settings = read("rebound.supervisor.stop-timeout = auto");

        assertEquals(Duration.ofSeconds(10).plus(SupervisorSettings.AUTO_STOP_MARGIN), settings.stopTimeout());
    }

    @Test
    void anExplicitStopTimeoutNotLongerThanTheDrainIsRejected() {
        ConfigException e = assertThrows(ConfigException.class, () -> read("rebound.supervisor.stop-timeout = 10s"));

        assertProblemAt(e, "rebound.supervisor.stop-timeout");
        assertTrue(e.getMessage().contains("rebound.drain-timeout (10s)"), e.getMessage());
    }

    @Test
    void everyInvalidValueIsReportedAtOnceWithItsFullKeyPath() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(String.join("\n",
                "rebound.supervisor {",
                "  restart = sometimes",
                "  restart-delay = soon",
                "  start-limit-burst = 0",
                "  restart-prevent-exit-status = [78, 300, x]",
                "  liveness.failures = 0",
                "  child-jvm-options = \"-Xmx1g\"",
                "  admin.bind = \"localhost\"",
                "  share-listener = maybe",
                "}")));

        List<String> paths = e.problems().stream().map(ConfigProblem::path).toList();
        assertEquals(List.of("rebound.supervisor.admin.bind", "rebound.supervisor.restart",
                "rebound.supervisor.restart-delay", "rebound.supervisor.start-limit-burst",
                "rebound.supervisor.restart-prevent-exit-status", "rebound.supervisor.restart-prevent-exit-status",
                "rebound.supervisor.liveness.failures", "rebound.supervisor.child-jvm-options",
                "rebound.supervisor.share-listener"), paths);
        assertTrue(e.getMessage().contains("one of always, on-failure, no"), e.getMessage());
    }

    @Test
    void theTokensOfBothAdminListenersAreRead_andNoneIsTheDefault() throws Exception {
        Path supervisorToken = Files.writeString(dir.resolve("supervisor.token"), "supervisor-secret\n");
        Path proxyToken = Files.writeString(dir.resolve("proxy.token"), "proxy-secret\n");

        SupervisorSettings settings = read("rebound.supervisor.admin.token-file = \"" + supervisorToken + "\"\n"
                + "rebound.admin.token-file = \"" + proxyToken + "\"");

        assertTrue(settings.admin().token().orElseThrow().matches("supervisor-secret"));
        assertTrue(settings.child().admin().token().orElseThrow().matches("proxy-secret"));
        assertEquals(Optional.empty(), read("").admin().token());
        assertEquals(Optional.empty(), read("").child().admin().token());
    }

    @Test
    void anAdminBindOffLoopbackNeedsATokenFile_andAnEmptyOneIsAProblemAtItsKey() throws Exception {
        ConfigException withoutToken = assertThrows(ConfigException.class,
                () -> read("rebound.supervisor.admin.bind = \"10.0.0.5:8405\""));
        Path empty = Files.writeString(dir.resolve("empty.token"), "  ");
        ConfigException emptyToken = assertThrows(ConfigException.class,
                () -> read("rebound.supervisor.admin.token-file = \"" + empty + "\""));

        assertProblemAt(withoutToken, "rebound.supervisor.admin.bind");
        assertTrue(withoutToken.getMessage().contains("rebound.supervisor.admin.token-file is not set"),
                withoutToken.getMessage());
        assertProblemAt(emptyToken, "rebound.supervisor.admin.token-file");
        assertTrue(emptyToken.getMessage().contains(empty.toString()), emptyToken.getMessage());
    }

    @Test
    void unknownKeysUnderRebound_supervisorAreRejected() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> read("rebound.supervisor { restart-sec = 1s, liveness.period = 1s }"));

        assertProblemAt(e, "rebound.supervisor.restart-sec");
        assertProblemAt(e, "rebound.supervisor.liveness.period");
    }

    @Test
    void stateFileAuto_isInSystemdsStateDirectory_elseInThisUsersTemporaryDirectory_perAdminPort() {
        HostPort admin = new HostPort("127.0.0.1", 8405);
        ConfigReader auto = new ConfigReader(ConfigFiles.parse("rebound.supervisor.state-file = auto", "test"));

        assertEquals(Path.of("/var/lib/rebound/servers.json"),
                SupervisorSettings.stateFile(auto, "/var/lib/rebound:/var/lib/other", admin));
        assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "rebound-" + System.getProperty("user.name"),
                "servers-8405.json"), SupervisorSettings.stateFile(auto, null, admin));
        assertEquals(Path.of("/srv/rebound/state.json"),
                read("rebound.supervisor.state-file = \"/srv/rebound/state.json\"").stateFile());
    }

    @Test
    void aRelativeStateFile_isAProblemNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> read("rebound.supervisor.state-file = \"state/servers.json\""));

        assertProblemAt(e, "rebound.supervisor.state-file");
        assertTrue(e.getMessage().contains("auto, or the absolute path of a file"), e.getMessage());
    }

    private static SupervisorSettings read(String hocon) {
        return SupervisorSettings.read(ConfigFiles.parse(PROXY_KEYS + hocon, "test"));
    }

    private static void assertProblemAt(ConfigException e, String path) {
        assertTrue(e.problems().stream().anyMatch(problem -> problem.path().equals(path)),
                "a problem at " + path + " in: " + e.getMessage());
    }
}

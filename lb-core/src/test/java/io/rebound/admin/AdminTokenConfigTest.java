package io.rebound.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.config.ConfigException;
import io.rebound.config.ConfigFiles;
import io.rebound.config.ConfigProblem;
import io.rebound.proxy.ProxySettings;
import io.rebound.proxy.ProxySettingsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rebound.admin.token-file}: read and validated with the rest of the proxy's configuration. */
class AdminTokenConfigTest {
    private static final String SERVERS = "rebound.servers = [ { name = apache1, address = \"127.0.0.1:8081\" } ]\n";

    @TempDir
    Path dir;

    @Test
    void byDefaultThereIsNoToken() {
        assertEquals(Optional.empty(), read("").admin().token());
    }

    @Test
    void aTokenFileIsReadTrimmed() throws Exception {
        Path file = Files.writeString(dir.resolve("admin.token"), "\n  0123abcd  \n");

        ProxySettings settings = read("rebound.admin.token-file = \"" + file + "\"\n");

        assertTrue(settings.admin().token().orElseThrow().matches("0123abcd"));
        assertEquals(file, settings.admin().token().orElseThrow().file());
    }

    @Test
    void aNonLoopbackAdminBindWithoutATokenFile_isAProblemNamingTheKeyAndTheFile() throws Exception {
        Path config = Files.writeString(dir.resolve("rebound.conf"), SERVERS + "rebound.admin.bind = \"*:8404\"\n");

        String message = assertThrows(ConfigException.class,
                () -> ProxySettingsReader.read(ConfigFiles.load(config))).getMessage();

        assertTrue(message.contains(config + ": 2: Invalid value at 'rebound.admin.bind': 0.0.0.0:8404"), message);
        assertTrue(message.contains("rebound.admin.token-file is not set"), message);
    }

    @Test
    void aNonLoopbackAdminBindWithATokenFileIsValid() throws Exception {
        Path file = Files.writeString(dir.resolve("admin.token"), "0123abcd\n");

        ProxySettings settings = read("rebound.admin { bind = \"10.0.0.5:8404\", token-file = \"" + file + "\" }\n");

        assertTrue(settings.admin().token().isPresent());
    }

    @Test
    void anEmptyTokenFileIsAProblemNamingTheKeyAndTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("empty.token"), " \n");

        ConfigProblem problem = onlyProblem("rebound.admin.token-file = \"" + file + "\"\n");

        assertEquals("rebound.admin.token-file", problem.path());
        assertEquals(file.toString(), problem.value());
        assertTrue(problem.describe().startsWith("rebound.conf: 2: "), problem.describe());
        assertTrue(problem.expected().contains("empty"), problem.describe());
    }

    @Test
    void aMissingTokenFileARelativePathAndAFileOfTwoWordsAreProblems() throws Exception {
        Path twoWords = Files.writeString(dir.resolve("two.token"), "one two\n");

        ConfigProblem missing = onlyProblem("rebound.admin.token-file = \"" + dir.resolve("missing.token") + "\"\n");
        ConfigProblem relative = onlyProblem("rebound.admin.token-file = \"admin.token\"\n");
        ConfigProblem spaced = onlyProblem("rebound.admin.token-file = \"" + twoWords + "\"\n");

        assertTrue(missing.describe().contains("a readable file holding the token (NoSuchFileException)"),
                missing.describe());
        assertTrue(relative.expected().startsWith("the absolute path"), relative.describe());
        assertTrue(spaced.expected().contains("without spaces"), spaced.describe());
        assertTrue(!spaced.describe().contains("one two"), "the token's text is never shown: " + spaced.describe());
    }

    private static ProxySettings read(String hocon) {
        return ProxySettingsReader.read(ConfigFiles.parse(SERVERS + hocon, "rebound.conf"));
    }

    private static ConfigProblem onlyProblem(String hocon) {
        List<ConfigProblem> problems = assertThrows(ConfigException.class, () -> read(hocon)).problems();
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0);
    }
}

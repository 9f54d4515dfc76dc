package io.rebound.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {
    private static final String JAVA_17 = "17.0.15+6-Debian-1deb12u1";
    private static final String JAVA_25 = "25.0.1+8-LTS";

    @TempDir
    Path home;
    @TempDir
    Path writable;

    @Test
    void onJava17_theChildGetsTheArchiveTheBuildMadeWithThatVeryJvm() throws IOException {
        Path built = Files.createDirectories(home.resolve("lib")).resolve("proxy-" + JAVA_17 + ".jsa");
        Files.writeString(built, "archive");

        assertEquals(List.of("-XX:SharedArchiveFile=" + built),
                ClassDataArchive.options(17, JAVA_17, home, Optional.of(writable)));
    }

    @Test
    void onJava17_anArchiveTheBuildMadeWithAnotherJvmIsNotPassed() throws IOException {
        Files.writeString(Files.createDirectories(home.resolve("lib")).resolve("proxy-17.0.2+8.jsa"), "archive");

        assertEquals(List.of(), ClassDataArchive.options(17, JAVA_17, home, Optional.of(writable)));
    }

    @Test
    void fromJava19_theChildCreatesAnArchiveOfItsOwn_namedAfterItsJvm_inTheWritableDirectory() throws IOException {
        // The build's archive, even one made by this JVM, gives way to the archive the JVM in use makes.
        Files.writeString(Files.createDirectories(home.resolve("lib")).resolve("proxy-" + JAVA_25 + ".jsa"), "x");

        List<String> options = ClassDataArchive.options(25, JAVA_25, home, Optional.of(writable));

        assertEquals(List.of("-XX:+AutoCreateSharedArchive",
                "-XX:SharedArchiveFile=" + writable.resolve(ClassDataArchive.autoCreatedFileName(JAVA_25, home))),
                options);
        assertTrue(options.get(1).contains("proxy-" + JAVA_25 + "-"), options.toString());
        assertEquals(options, ClassDataArchive.options(19, JAVA_25, home, Optional.of(writable)));
    }

    @Test
    void fromJava19_withoutAWritableDirectory_theChildGetsNoArchive() {
        assertEquals(List.of(), ClassDataArchive.options(25, JAVA_25, home, Optional.empty()));
    }

    @Test
    void twoDistributionsOfOneJvmGetTwoArchives(@TempDir Path otherHome) {
        assertTrue(!ClassDataArchive.autoCreatedFileName(JAVA_25, home)
                .equals(ClassDataArchive.autoCreatedFileName(JAVA_25, otherHome)));
    }

    @Test
    void theWritableDirectoryIsCreatedForThisUserAlone() throws IOException {
        Path directory = writable.resolve("rebound-someone");

        assertEquals(Optional.of(directory), ClassDataArchive.privateDirectory(directory));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
        assertEquals(Optional.of(directory), ClassDataArchive.privateDirectory(directory), "and used again");
    }

    @Test
    void aDirectoryOthersMayWriteToIsNotUsed_asAnyoneCouldPlantAnArchiveThere() throws IOException {
        Path directory = Files.createDirectory(writable.resolve("shared"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertEquals(Optional.empty(), ClassDataArchive.privateDirectory(directory));
    }
}

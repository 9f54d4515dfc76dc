package io.rebound.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM with the class-data options chosen for the JVM running this test (dev/test runs it on 17 and 25). */
class ClassDataArchiveProcessTest {
    private static final long CHILD_EXIT_SECONDS = 60;

    @TempDir
    Path home;
    @TempDir
    Path writable;

    @Test
    void onThisJvm_aChildMakesItsArchiveAtExit_andTheNextChildMapsIt() throws Exception {
        assumeTrue(Runtime.version().feature() >= ClassDataArchive.AUTO_CREATE_SINCE,
                "Java " + Runtime.version() + " has no -XX:+AutoCreateSharedArchive (Java 19 and later do); on it the"
                        + " proxy uses the archive the build made, which ChildCommandTest covers");
        List<String> options = ClassDataArchive.options(Runtime.version().feature(),
                System.getProperty("java.vm.version"), home, Optional.of(writable));
        Path jar = jarOfTheChild(writable.resolve("child.jar"));
        Path archive = writable.resolve(ClassDataArchive.autoCreatedFileName(System.getProperty("java.vm.version"),
                home));

        runChild(options, jar, writable.resolve("first.log"));
        assertTrue(Files.size(archive) > 0, archive + " made at the first child's exit");

        // -Xshare:on makes a JVM that cannot map the archive refuse to start, so exit 0 shows that it was mapped.
        List<String> strict = List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive);
        runChild(strict, jar, writable.resolve("second.log"));
    }

    /** Runs a child with {@code classDataOptions} and checks that it exits 0. */
    private static void runChild(List<String> classDataOptions, Path classPath, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC"));
        command.addAll(classDataOptions);
        command.addAll(List.of("-cp", classPath.toString(), ExitsAtOnce.class.getName()));
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            assertTrue(child.waitFor(CHILD_EXIT_SECONDS, TimeUnit.SECONDS), "the child exits: " + command);
        } finally {
            child.destroyForcibly();
        }
        assertEquals(0, child.exitValue(), command + "\n" + Files.readString(log));
    }

    /**
     * A jar of {@link ExitsAtOnce} alone: a JVM archives classes from jars only (it refuses a class path with a
     * directory of classes, such as this test's), as the proxy's {@code lib/*} is.
     */
    private static Path jarOfTheChild(Path jar) throws IOException {
        String entry = ExitsAtOnce.class.getName().replace('.', '/') + ".class";
        try (InputStream in = ExitsAtOnce.class.getClassLoader().getResourceAsStream(entry);
                JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(entry));
            out.write(in.readAllBytes());
            out.closeEntry();
        }
        return jar;
    }

    /** A child that loads a few classes and exits normally, which is when a JVM writes its archive. */
    static final class ExitsAtOnce {
        public static void main(String[] args) {
            System.out.println(String.join(",", List.of("loaded", "some", "classes")));
        }
    }
}

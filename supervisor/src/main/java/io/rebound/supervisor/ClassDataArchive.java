package io.rebound.supervisor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The distribution's application class-data archive of the proxy ({@code lib/proxy-<java.vm.version>.jsa}, made at
 * build time by a training run). It roughly halves the proxy's start-up, which is most of the recovery time after a
 * {@code kill -9}. An archive only works with the exact JVM that made it (another JVM prints errors and ignores it),
 * so it is named after that JVM's version and used only by the same one.
 */
final class ClassDataArchive {

    private ClassDataArchive() {
    }

    static Optional<Path> forThisJvm(Path reboundHome) {
        Path archive = reboundHome.resolve("lib").resolve(fileName(System.getProperty("java.vm.version")));
        return Files.isRegularFile(archive) ? Optional.of(archive) : Optional.empty();
    }

    static String fileName(String jvmVersion) {
        return "proxy-" + jvmVersion + ".jsa";
    }
}

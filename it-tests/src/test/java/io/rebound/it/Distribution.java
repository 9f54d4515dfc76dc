package io.rebound.it;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The packaged distribution under test, {@code packaging/target/rebound-<version>/}, whose path the build passes as
 * system property {@code rebound.dist.dir}. The drills run its {@code bin/rebound} exactly as an operator would.
 */
final class Distribution {
    private static final String PROPERTY = "rebound.dist.dir";

    private Distribution() {
    }

    static Path launcher() {
        String dir = System.getProperty(PROPERTY);
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException("system property " + PROPERTY + " is not set; run the drills through "
                    + "Maven (it-tests/pom.xml sets it to packaging/target/rebound-<version>)");
        }
        Path launcher = Path.of(dir).toAbsolutePath().normalize().resolve("bin/rebound");
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException("no executable " + launcher + ": build the distribution first "
                    + "(./mvnw -B -pl packaging -am package, or ./mvnw verify from the root)");
        }
        return launcher;
    }
}

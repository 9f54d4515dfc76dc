package io.rebound.it;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rebound's container image with the distribution under test: {@code packaging/docker/build-image.sh} puts the
 * tarball Maven built on the local base image ({@code rebound/base:bookworm}, built by dev/setup-test-env.sh), with
 * no pull. A drill class builds it once and removes it at its end.
 */
final class ReboundImage {
    static final String NAME = "rebound-it/rebound:drill";
    static final String BASE = "rebound/base:bookworm";

    private ReboundImage() {
    }

    /** Builds {@link #NAME}; fails with the command to run when the base image is missing. */
    static String build() {
        if (DockerCli.run("image", "inspect", BASE).exitCode() != 0) {
            throw new IllegalStateException("no image " + BASE + ": build it with dev/setup-test-env.sh (or "
                    + "packaging/docker/build-base-image.sh); nothing is pulled");
        }
        Path dist = Distribution.launcher().getParent().getParent();
        Path tarball = dist.resolveSibling(dist.getFileName() + ".tar.gz");
        Path script = dist.getParent().getParent().resolve("docker/build-image.sh");
        if (!Files.isRegularFile(tarball) || !Files.isExecutable(script)) {
            throw new IllegalStateException("need " + tarball + " and " + script);
        }
        CommandResult result = OsProcesses.run(script.toString(), NAME, tarball.toString(), BASE);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("building " + NAME + " failed: " + result.output());
        }
        return NAME;
    }

    static void remove() {
        DockerCli.quietly("image", "rm", NAME);
    }

    /** The distribution's own copy of a file it ships, such as keepalived/keepalived.conf. */
    static Path shipped(String relative) {
        return Distribution.launcher().getParent().getParent().resolve(relative);
    }
}

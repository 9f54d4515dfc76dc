package io.rebound.it;

import com.github.dockerjava.api.exception.NotFoundException;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/** The project's Apache image: built locally by dev/setup-test-env.sh, never pulled (no registry is reachable). */
final class ApacheImage {
    static final ImagePullPolicy NEVER_PULL = image -> false;
    private static final String PROPERTY = "rebound.it.apache-image";

    private ApacheImage() {
    }

    static DockerImageName name() {
        return DockerImageName.parse(System.getProperty(PROPERTY, "rebound-it/apache:bookworm"));
    }

    static void requirePresent() {
        try {
            ApacheServer.docker().inspectImageCmd(name().asCanonicalNameString()).exec();
        } catch (NotFoundException e) {
            throw new IllegalStateException("Docker image " + name() + " is not on this machine; build it with "
                    + "dev/setup-test-env.sh (it-tests/docker/build-apache-image.sh); it is never pulled", e);
        }
    }
}

package io.rebound.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application class-data archive of the proxy child, which roughly halves its start-up and so most of the
 * recovery time after a {@code kill -9}. An archive only works with the exact JVM that made it (another JVM prints
 * errors and ignores it), so it is always named after that JVM's {@code java.vm.version}.
 *
 * <p>On Java 19 and later the child JVM makes its own ({@code -XX:+AutoCreateSharedArchive}): it maps the archive
 * when it is valid for it and writes one when it exits normally (a stop, a reload, a graceful restart; not after a
 * {@code kill -9}) when it was not. The file lies in a directory of this user under {@code java.io.tmpdir}, because
 * the distribution's own directory is read-only where the systemd unit runs it. On Java 17 the child uses the
 * archive the build's training run made ({@code lib/proxy-<java.vm.version>.jsa}) when the build ran on this JVM.
 */
final class ClassDataArchive {
    private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchive.class);
    /** The first release with {@code -XX:+AutoCreateSharedArchive} (JDK-8261455). */
    static final int AUTO_CREATE_SINCE = 19;
    /** Only this user may write the archive a JVM maps its classes from. */
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private ClassDataArchive() {
    }

    /** The child's class-data options for the distribution at {@code reboundHome}, on the JVM running this process. */
    static List<String> optionsForThisJvm(Path reboundHome) {
        int feature = Runtime.version().feature();
        Optional<Path> writable = feature >= AUTO_CREATE_SINCE
                ? privateDirectory(Path.of(System.getProperty("java.io.tmpdir"), "rebound-"
                        + System.getProperty("user.name")))
                : Optional.empty();
        return options(feature, System.getProperty("java.vm.version"), reboundHome, writable);
    }

    /**
     * The child's class-data options on a JVM of release {@code feature} and version {@code vmVersion}:
     * {@code -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=<writableDirectory>/...} from Java 19 on, else
     * {@code -XX:SharedArchiveFile=} the distribution's archive for that very JVM, or nothing when there is none (or
     * no writable directory).
     */
    static List<String> options(int feature, String vmVersion, Path reboundHome, Optional<Path> writableDirectory) {
        if (feature >= AUTO_CREATE_SINCE) {
            return writableDirectory
                    .map(directory -> List.of("-XX:+AutoCreateSharedArchive",
                            "-XX:SharedArchiveFile=" + directory.resolve(autoCreatedFileName(vmVersion, reboundHome))))
                    .orElse(List.of());
        }
        Path built = reboundHome.resolve("lib").resolve(fileName(vmVersion));
        return Files.isRegularFile(built) ? List.of("-XX:SharedArchiveFile=" + built) : List.of();
    }

    /** The build's archive in {@code lib/}, made by the packaging's training run on JVM {@code jvmVersion}. */
    static String fileName(String jvmVersion) {
        return "proxy-" + jvmVersion + ".jsa";
    }

    /**
     * The archive a child of JVM {@code jvmVersion} makes for itself; the distribution's directory is in the name, as
     * the archive records the class path and two distributions would otherwise overwrite each other's.
     */
    static String autoCreatedFileName(String jvmVersion, Path reboundHome) {
        return "proxy-" + jvmVersion + "-" + Integer.toHexString(reboundHome.toAbsolutePath().toString().hashCode())
                + ".jsa";
    }

    /**
     * {@code directory}, created for this user only when missing; empty (no archive, a slower start) when it exists
     * but another user owns it or may write to it, as anyone could plant an archive in a shared temporary directory.
     */
    static Optional<Path> privateDirectory(Path directory) {
        try {
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            String user = System.getProperty("user.name");
            if (!attributes.isDirectory() || !attributes.owner().getName().equals(user)
                    || !OWNER_ONLY.containsAll(attributes.permissions())) {
                LOG.warn("Class-data archive of the proxy not used, so the proxy starts slower: {} is not a directory"
                        + " of {} alone (owner {}, permissions {})", directory, user, attributes.owner().getName(),
                        PosixFilePermissions.toString(attributes.permissions()));
                return Optional.empty();
            }
            return Optional.of(directory);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("Class-data archive of the proxy not used, so the proxy starts slower: cannot prepare {}: {}",
                    directory, e.toString());
            return Optional.empty();
        }
    }
}

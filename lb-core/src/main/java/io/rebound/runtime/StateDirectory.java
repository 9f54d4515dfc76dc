package io.rebound.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Whether a directory may hold the state file. One that another user may write to (a shared temporary directory made
 * by someone else) could hold a planted state, every server in maintenance, or have the file swapped: such a
 * directory is not used, neither by the supervisor nor by the proxies it starts.
 */
public final class StateDirectory {

    private StateDirectory() {
    }

    /** Why {@code directory} must not hold the state file, or empty when it may (or does not exist yet). */
    public static Optional<String> problem(Path directory) {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty(); // created for this user alone when the file is first written
        }
        try {
            PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            String user = System.getProperty("user.name");
            String owner = attributes.owner().getName();
            boolean othersWrite = attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
                    || attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE);
            if (!attributes.isDirectory() || !(owner.equals(user) || owner.equals("root")) || othersWrite) {
                return Optional.of(directory + " is not a directory of " + user + " that only its owner may write to"
                        + " (owner " + owner + ", permissions " + PosixFilePermissions.toString(attributes.permissions())
                        + "); set rebound.supervisor.state-file to a file in one");
            }
            return Optional.empty();
        } catch (UnsupportedOperationException e) {
            return Optional.empty(); // no POSIX permissions to check on this file system
        } catch (IOException e) {
            return Optional.of("cannot inspect " + directory + ": " + e.getMessage());
        }
    }
}

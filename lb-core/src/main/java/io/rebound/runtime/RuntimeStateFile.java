package io.rebound.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The runtime state on disk, so that it outlives the supervisor. Written atomically: a temporary file beside it,
 * forced to disk, renamed over it, and the directory forced, so a crash at any point leaves the old or the new
 * state, never a mix.
 */
public final class RuntimeStateFile {
    /** Larger than any real state (a few dozen bytes per server); a larger file is not ours. */
    private static final long MAX_SIZE = 4L * 1024 * 1024;

    private RuntimeStateFile() {
    }

    /**
     * The state in {@code file}, or empty when there is no such file.
     *
     * @throws IOException when it cannot be read, or lies in a directory another user may write to
     * @throws IllegalArgumentException when it is not a runtime state
     */
    public static Optional<RuntimeState> read(Path file) throws IOException {
        Optional<String> unsafe = StateDirectory.problem(file.toAbsolutePath().getParent());
        if (unsafe.isPresent()) {
            throw new IOException(unsafe.get());
        }
        try {
            if (Files.size(file) > MAX_SIZE) {
                throw new IllegalArgumentException(file + ": larger than " + MAX_SIZE + " bytes");
            }
            return Optional.of(RuntimeState.parse(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Replaces {@code file} with {@code state}, creating its directory (for this user alone) when missing. */
    public static void write(Path file, RuntimeState state) throws IOException {
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        if (!Files.isDirectory(directory)) {
            try {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(directory);
            }
        }
        Path temporary = directory.resolve("." + target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(state.toJson().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temporary);
            throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
        }
        forceDirectory(directory);
    }

    /** Makes the rename durable; a file system that cannot open a directory for it still renamed atomically. */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform opens directories; the rename itself is still atomic
        }
    }
}

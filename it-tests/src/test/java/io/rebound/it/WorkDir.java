package io.rebound.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh directory under target/it-work for one drill's files (generated configs, process logs, Prometheus' data),
 * kept after the run so a failed drill can be read.
 */
final class WorkDir {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private WorkDir() {
    }

    /** {@code name} becomes part of a path that pgrep patterns match; only letters, digits, '-' and '_' stay. */
    static Path create(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9_-]", "-");
        Path root = Path.of(System.getProperty("rebound.it.work-dir", "target/it-work")).toAbsolutePath();
        Path dir = root.resolve(safe + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet());
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}

package io.rebound.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What an operator does to processes from a shell: {@code pgrep -af}, {@code kill -s SIGNAL}, running a command and
 * reading what it printed. The drills use these real tools, not JVM shortcuts, so they prove the operator's drill.
 */
final class OsProcesses {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private OsProcesses() {
    }

    /** A process as {@code pgrep -a} lists it. */
    record Listed(long pid, String commandLine) {
    }

    /**
     * {@code pgrep -af PATTERN} narrowed to the command lines that contain {@code marker} literally (pgrep's
     * pattern is a regular expression; the marker is a path with dots in it).
     */
    static List<Listed> pgrep(String pattern, String marker) {
        CommandResult result = run("pgrep", "-a", "-f", pattern);
        if (result.exitCode() == 1) {
            return List.of(); // pgrep: no process matched
        }
        if (result.exitCode() != 0) {
            throw new IllegalStateException("pgrep -af " + pattern + " failed: " + result);
        }
        return result.output().lines()
                .map(line -> line.split(" ", 2))
                .filter(parts -> parts.length == 2 && parts[1].contains(marker))
                .map(parts -> new Listed(Long.parseLong(parts[0]), parts[1]))
                .toList();
    }

    /** {@code kill -s SIGNAL PID}, e.g. signal "KILL", "STOP", "TERM". */
    static void kill(String signal, long pid) {
        CommandResult result = run("kill", "-s", signal, Long.toString(pid));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("kill -s " + signal + " " + pid + " failed: " + result);
        }
    }

    /** Runs a command to its end (bounded) and returns its exit code and output. */
    static CommandResult run(String... command) {
        return run(COMMAND_TIMEOUT, command);
    }

    /** Runs a command to its end, at most {@code timeout}, and returns its exit code and output. */
    static CommandResult run(Duration timeout, String... command) {
        try {
            Path output = Files.createTempFile("rebound-it-command", ".out");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                            + timeout.toSeconds() + " s");
                }
                return new CommandResult(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}

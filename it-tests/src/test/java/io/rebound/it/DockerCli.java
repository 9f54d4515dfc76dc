package io.rebound.it;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code docker} command, as an operator types it: the drills of a keepalived pair and of a Swarm group kill,
 * stop and start containers, create networks and services with it, exactly as the README's steps do.
 */
final class DockerCli {

    private DockerCli() {
    }

    /** {@code docker ARGS...} to its end (bounded by {@link OsProcesses#run}). */
    static CommandResult run(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return OsProcesses.run(command.toArray(String[]::new));
    }

    /** {@code docker ARGS...}, which must succeed; returns what it printed, stripped. */
    static String ok(String... args) {
        CommandResult result = run(args);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("docker " + String.join(" ", args) + " failed with "
                    + result.exitCode() + ": " + result.output().strip());
        }
        return result.output().strip();
    }

    /** {@code docker ARGS...} whose failure does not matter (clean-up of what may already be gone). */
    static void quietly(String... args) {
        try {
            run(args);
        } catch (RuntimeException e) {
            // clean-up goes on with the next thing to remove
        }
    }
}

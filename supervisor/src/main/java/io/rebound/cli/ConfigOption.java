package io.rebound.cli;

import java.nio.file.Path;
import java.util.Optional;

/** The {@code --config FILE} option, the only option {@code run} and {@code status} take. */
final class ConfigOption {

    private ConfigOption() {
    }

    /**
     * @return the file of {@code --config FILE}, empty for no arguments
     * @throws IllegalArgumentException saying what is wrong with the arguments
     */
    static Optional<Path> parse(String[] args) {
        if (args.length == 0) {
            return Optional.empty();
        }
        if (args.length == 2 && args[0].equals("--config")) {
            return Optional.of(Path.of(args[1]));
        }
        throw new IllegalArgumentException("expected: --config FILE, got: " + String.join(" ", args));
    }
}

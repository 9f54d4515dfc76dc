package io.rebound.cli;

import io.rebound.config.ConfigException;
import io.rebound.config.ConfigFiles;
import io.rebound.config.ExitCodes;
import io.rebound.supervisor.ChildCommand;
import io.rebound.supervisor.SupervisorSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/** {@code rebound run --config FILE}: the supervisor, keeping the proxy running until SIGTERM or SIGINT. */
final class RunCommand {

    private RunCommand() {
    }

    static int run(String[] args, PrintStream err) {
        Optional<Path> file;
        try {
            file = ConfigOption.parse(args);
        } catch (IllegalArgumentException e) {
            return Main.usage(err, "run: " + e.getMessage());
        }
        if (file.isEmpty()) {
            return Main.usage(err, "run: --config FILE is required");
        }
        return superviseProxy(file.get(), err);
    }

    /** Supervises the proxy with the configuration {@code file}; also what {@code demo} does. */
    static int superviseProxy(Path file, PrintStream err) {
        SupervisorSettings settings;
        try {
            settings = SupervisorSettings.read(ConfigFiles.load(file));
        } catch (ConfigException e) {
            err.println("rebound: invalid configuration " + file + ": " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        return Supervise.untilStopped(settings, ChildCommand.proxy(settings.childJvmOptions(), file), err);
    }
}

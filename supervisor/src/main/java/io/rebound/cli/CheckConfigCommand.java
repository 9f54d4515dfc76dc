package io.rebound.cli;

import io.rebound.config.ConfigException;
import io.rebound.config.ExitCodes;
import io.rebound.resolve.NameCheck;
import io.rebound.proxy.ProxySettings;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code rebound check-config FILE}: validates both parts of the configuration, prints every problem, starts nothing.
 * Server names that do not resolve now are warnings, not problems.
 */
final class CheckConfigCommand {

    private CheckConfigCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            return Main.usage(err, "check-config: expected one FILE");
        }
        Path file = Path.of(args[0]);
        WholeConfig.Checked checked = WholeConfig.check(file);
        if (!checked.problems().isEmpty()) {
            err.println(new ConfigException(checked.problems()).getMessage());
            return ExitCodes.CONFIG;
        }
        // A name that does not resolve now is no error: its server starts DOWN and follows DNS (exit 0).
        checked.proxy().map(ProxySettings::backend).ifPresent(backend -> NameCheck.unresolved(backend.servers(),
                backend.resolvers()).forEach(warning -> out.println("Warning: " + warning)));
        out.println("Configuration OK: " + file);
        return ExitCodes.OK;
    }
}

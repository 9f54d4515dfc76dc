package io.rebound.cli;

import io.rebound.config.ConfigException;
import io.rebound.config.ConfigFiles;
import io.rebound.config.ConfigProblem;
import io.rebound.config.ExitCodes;
import io.rebound.supervisor.SupervisorSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code rebound check-config FILE}: validates both parts of the configuration, prints every problem, starts nothing. */
final class CheckConfigCommand {

    private CheckConfigCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            return Main.usage(err, "check-config: expected one FILE");
        }
        Path file = Path.of(args[0]);
        List<ConfigProblem> problems = new ArrayList<>();
        try {
            SupervisorSettings.read(ConfigFiles.load(file));
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        try {
            problems.addAll(LbCore.proxyConfigProblems(file));
        } catch (LbCore.Missing e) {
            err.println("rebound check-config: cannot check the proxy's settings: " + e.getMessage());
            if (problems.isEmpty()) {
                return ExitCodes.FAILURE;
            }
        }
        if (!problems.isEmpty()) {
            err.println(new ConfigException(dropRepeats(problems)).getMessage());
            return ExitCodes.CONFIG;
        }
        out.println("Configuration OK: " + file);
        return ExitCodes.OK;
    }

    /** A missing or unreadable file is reported by both sides; say it once. */
    private static List<ConfigProblem> dropRepeats(List<ConfigProblem> problems) {
        return problems.stream().distinct().toList();
    }
}

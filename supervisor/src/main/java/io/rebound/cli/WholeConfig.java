package io.rebound.cli;

import io.rebound.config.ConfigException;
import io.rebound.config.ConfigFiles;
import io.rebound.config.ConfigProblem;
import io.rebound.supervisor.SupervisorSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Both parts of the one configuration file: the supervisor's settings, read here, and the proxy's, checked by lb-core.
 * Problems of both parts are reported together, so one run shows them all.
 */
final class WholeConfig {

    private WholeConfig() {
    }

    /** The outcome of a check: the settings when the supervisor part is valid, and whether the proxy part was checked. */
    record Checked(Optional<SupervisorSettings> settings, List<ConfigProblem> problems, Optional<String> proxyUnchecked) {
    }

    static Checked check(Path file) {
        List<ConfigProblem> problems = new ArrayList<>();
        Optional<SupervisorSettings> settings = Optional.empty();
        try {
            settings = Optional.of(SupervisorSettings.read(ConfigFiles.load(file)));
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        Optional<String> proxyUnchecked = Optional.empty();
        try {
            for (ConfigProblem problem : LbCore.proxyConfigProblems(file)) {
                if (!problems.contains(problem)) {
                    problems.add(problem); // a missing file is reported by both parts; say it once
                }
            }
        } catch (LbCore.Missing e) {
            proxyUnchecked = Optional.of("cannot check the proxy's settings: " + e.getMessage());
        }
        return new Checked(settings, problems, proxyUnchecked);
    }
}

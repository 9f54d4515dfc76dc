package io.rebound.cli;

import io.rebound.config.ConfigException;
import io.rebound.config.ConfigFiles;
import io.rebound.config.ConfigProblem;
import io.rebound.proxy.ProxySettings;
import io.rebound.proxy.ProxySettingsReader;
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

    /**
     * The outcome of a check: the settings of each part when that part is valid, and every problem of both parts.
     */
    record Checked(Optional<SupervisorSettings> settings, Optional<ProxySettings> proxy, List<ConfigProblem> problems) {
    }

    static Checked check(Path file) {
        List<ConfigProblem> problems = new ArrayList<>();
        Optional<SupervisorSettings> settings = Optional.empty();
        try {
            settings = Optional.of(SupervisorSettings.read(ConfigFiles.load(file)));
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        Optional<ProxySettings> proxy = Optional.empty();
        try {
            proxy = Optional.of(ProxySettingsReader.read(ConfigFiles.load(file)));
        } catch (ConfigException e) {
            for (ConfigProblem problem : e.problems()) {
                if (!problems.contains(problem)) {
                    problems.add(problem); // a missing file is reported by both parts; say it once
                }
            }
        }
        return new Checked(settings, proxy, problems);
    }
}

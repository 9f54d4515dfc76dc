package io.rebound.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Finds the keys a configuration sets that nothing reads (a misspelt key would otherwise be ignored in silence). */
final class UnknownKeys {
    private final Config config;
    private final String prefix;
    private final List<ConfigProblem> problems;

    /**
     * @param prefix the full path of {@code config} in the file ("" for the root, {@code rebound.servers[1]} for an
     *               element of a list), for messages
     * @param problems where each unknown key is recorded
     */
    UnknownKeys(Config config, String prefix, List<ConfigProblem> problems) {
        this.config = config;
        this.prefix = prefix;
        this.problems = problems;
    }

    /** Every key under {@code path} that {@code allowed} does not know, descending into objects both have. */
    void under(String path, Config allowed, Set<String> skip) {
        if (!config.hasPath(path) || !allowed.hasPath(path)
                || config.getValue(path).valueType() != ConfigValueType.OBJECT) {
            return;
        }
        for (Map.Entry<String, ConfigValue> entry : config.getObject(path).entrySet()) {
            List<String> elements = new ArrayList<>(ConfigUtil.splitPath(path));
            elements.add(entry.getKey());
            String child = ConfigUtil.joinPath(elements);
            if (skip.contains(child)) {
                continue;
            }
            if (!allowed.hasPathOrNull(child)) {
                problems.add(new ConfigProblem(ConfigProblem.where(entry.getValue().origin()), full(child),
                        entry.getKey(), "a known key; see reference.conf for the keys under '" + full(path) + "'"));
            } else if (entry.getValue().valueType() == ConfigValueType.OBJECT) {
                under(child, allowed, skip);
            }
        }
    }

    /** Every top-level key that is not among {@code allowed}. */
    void ofRoot(Set<String> allowed) {
        for (Map.Entry<String, ConfigValue> entry : config.root().entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                problems.add(new ConfigProblem(ConfigProblem.where(entry.getValue().origin()), full(entry.getKey()),
                        entry.getKey(), "one of the keys " + String.join(", ", allowed.stream().sorted().toList())));
            }
        }
    }

    private String full(String path) {
        return prefix.isEmpty() ? path : prefix + "." + path;
    }
}

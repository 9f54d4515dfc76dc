package io.rebound.config;

import java.util.List;

/** Every problem found in a configuration, reported at once. Commands exit with {@link ExitCodes#CONFIG} on it. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(render(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems: [] (expected: at least one)");
        }
        this.problems = List.copyOf(problems);
    }

    public ConfigException(ConfigProblem problem) {
        this(List.of(problem));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String render(List<ConfigProblem> problems) {
        StringBuilder text = new StringBuilder();
        text.append(problems.size() == 1 ? "1 configuration error" : problems.size() + " configuration errors");
        for (ConfigProblem problem : problems) {
            text.append(System.lineSeparator()).append("  ").append(problem.describe());
        }
        return text.toString();
    }
}

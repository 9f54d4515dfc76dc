package io.rebound.config;

import com.typesafe.config.ConfigOrigin;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One thing wrong with the configuration: where it came from, the full key path, the value found and what was expected.
 * Rendered as {@code rebound.conf: 7: Invalid value at 'rebound.check.timeout': 5s (expected: less than interval 2s)}.
 */
public record ConfigProblem(String origin, String path, String value, String expected) {

    public ConfigProblem {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expected, "expected");
    }

    /** The line an operator reads. {@code origin} is already "file: line" or a description when there is no file. */
    public String describe() {
        if (value.isEmpty()) {
            return origin + ": Missing value at '" + path + "' (expected: " + expected + ")";
        }
        return origin + ": Invalid value at '" + path + "': " + value + " (expected: " + expected + ")";
    }

    /** Renders an origin as an operator reads it: {@code rebound.conf: 7}. */
    static String where(ConfigOrigin origin) {
        if (origin == null) {
            return "(configuration)";
        }
        String where = origin.filename();
        if (where == null && origin.resource() == null) {
            return origin.description(); // a parsed string: its description already ends with ": line"
        }
        if (where == null) {
            where = origin.resource();
        }
        if (where != null && origin.filename() != null) {
            where = Path.of(where).toString();
        }
        return origin.lineNumber() > 0 ? where + ": " + origin.lineNumber() : where;
    }

    @Override
    public String toString() {
        return describe();
    }
}

package io.rebound.config;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.Locale;

/** Values written the way they are written in the configuration, for messages and log lines. */
public final class ConfigText {
    private ConfigText() {
    }

    /** "2s" for whole seconds, else "250ms". */
    public static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 == 0 && millis > 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    /** "1h", "10m", "90s" or "250ms": a bound as one would write it. */
    public static String durationInLargestUnit(Duration duration) {
        if (duration.toMinutes() > 0 && duration.equals(Duration.ofHours(duration.toHours()))) {
            return duration.toHours() + "h";
        }
        if (duration.toSeconds() > 0 && duration.equals(Duration.ofMinutes(duration.toMinutes()))) {
            return duration.toMinutes() + "m";
        }
        return duration(duration);
    }

    /** The kebab-case word of an enum constant ({@code ROUND_ROBIN} is {@code round-robin}). */
    public static String word(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A value as its file has it, without the quotes of a string; "null" for null. */
    static String value(ConfigValue value) {
        Object unwrapped = value.unwrapped();
        return unwrapped == null ? "null" : value.render(ConfigRenderOptions.concise()).replaceAll("^\"|\"$", "");
    }
}

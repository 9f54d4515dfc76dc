package io.rebound.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads typed values by FULL key path and collects every problem instead of stopping at the first, so that one run of
 * {@code check-config} shows them all. Getters never take a default: defaults live once, in {@code reference.conf}.
 * When a value is invalid the getter records a problem and returns a harmless placeholder; call
 * {@link #throwIfProblems()} before using what was read.
 *
 * <p>Elements of an object list are read through {@link #elements(String)}, which keeps the full path in messages
 * ({@code rebound.servers[1].address}).
 */
public final class ConfigReader {
    private final Config config;
    private final String prefix;
    private final List<ConfigProblem> problems;

    public ConfigReader(Config config) {
        this(config, "", new ArrayList<>());
    }

    private ConfigReader(Config config, String prefix, List<ConfigProblem> problems) {
        this.config = config;
        this.prefix = prefix;
        this.problems = problems;
    }

    public String string(String path) {
        return read(path, "a string", "", () -> config.getString(path));
    }

    /** A list of strings ({@code ["10.0.0.2:53", "10.0.0.3:53"]}). */
    public List<String> stringList(String path) {
        return read(path, "a list of strings", List.of(), () -> config.getStringList(path));
    }

    /**
     * A list of strings none of which is blank ({@code ["-Xmx512m"]}). Unlike {@link #stringList}, an element of
     * another type is a problem, not converted. {@code expected} describes a valid list in messages.
     */
    public List<String> nonBlankStrings(String path, String expected) {
        List<String> strings = new ArrayList<>();
        for (ConfigValue value : list(path, expected)) {
            if (value.valueType() == ConfigValueType.STRING && !((String) value.unwrapped()).isBlank()) {
                strings.add((String) value.unwrapped());
            } else {
                problem(path, String.valueOf(value.unwrapped()), expected);
            }
        }
        return strings;
    }

    /** A list of whole numbers from {@code min} to {@code max} ({@code [78]}), as a set in the order written. */
    public Set<Integer> intSet(String path, int min, int max, String expected) {
        Set<Integer> numbers = new LinkedHashSet<>();
        for (ConfigValue value : list(path, expected)) {
            Object unwrapped = value.unwrapped();
            if (value.valueType() == ConfigValueType.NUMBER && unwrapped instanceof Integer number
                    && number >= min && number <= max) {
                numbers.add(number);
            } else {
                problem(path, String.valueOf(unwrapped), expected);
            }
        }
        return numbers;
    }

    private List<? extends ConfigValue> list(String path, String expected) {
        if (!config.hasPath(path)) {
            problem(path, "", expected);
            return List.of();
        }
        ConfigValue value = config.getValue(path);
        if (value.valueType() != ConfigValueType.LIST) {
            problem(path, String.valueOf(value.unwrapped()), expected);
            return List.of();
        }
        return (ConfigList) value;
    }

    public boolean bool(String path) {
        return read(path, "on/off, true/false or yes/no", false,
                () -> config.getBoolean(path));
    }

    public int intInRange(String path, int min, int max) {
        int value = read(path, "a whole number from " + min + " to " + max, min,
                () -> config.getInt(path));
        if (value < min || value > max) {
            problem(path, Integer.toString(value), "a whole number from " + min + " to " + max);
            return min;
        }
        return value;
    }

    /** A duration of at least {@code min} ("2s", "100ms"; a bare number is milliseconds). */
    public Duration duration(String path, Duration min) {
        String expected = "a duration of at least " + ConfigText.duration(min) + " such as 2s or 100ms";
        Duration value = read(path, expected, min, () -> config.getDuration(path));
        if (value.compareTo(min) < 0) {
            problem(path, ConfigText.duration(value), expected);
            return min;
        }
        return value;
    }

    /** A duration from {@code min} to {@code max} ("10m", "90s"). */
    public Duration durationInRange(String path, Duration min, Duration max) {
        String expected = "a duration from " + ConfigText.durationInLargestUnit(min) + " to "
                + ConfigText.durationInLargestUnit(max);
        Duration value = read(path, expected, min, () -> config.getDuration(path));
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problem(path, ConfigText.value(config.getValue(path)), expected);
            return min;
        }
        return value;
    }

    /** A size in bytes ("10MiB", "512k"), from {@code min} to {@code max}. */
    public long bytes(String path, long min, long max) {
        String expected = "a size from " + min + " to " + max + " bytes such as 10MiB";
        long value = read(path, expected, min, () -> config.getBytes(path));
        if (value < min || value > max) {
            problem(path, Long.toString(value), expected);
            return min;
        }
        return value;
    }

    /** The address of something to connect to: host:port with a port from 1 to 65535. */
    public HostPort hostPort(String path) {
        return hostPort(path, 1, "host:port with a port from 1 to 65535, such as 127.0.0.1:8080");
    }

    /** The address to listen on: host:port with a port from 0 (any free port) to 65535; {@code *} is every address. */
    public HostPort listenAddress(String path) {
        return hostPort(path, 0, "host:port with a port from 0 (any free port) to 65535, such as *:8080");
    }

    private HostPort hostPort(String path, int minPort, String expected) {
        String text = string(path);
        if (text.isEmpty() && !has(path)) {
            return new HostPort("0.0.0.0", 1);
        }
        try {
            HostPort address = HostPort.parse(text);
            if (address.port() < minPort) {
                throw new IllegalArgumentException("port " + address.port());
            }
            return address;
        } catch (IllegalArgumentException e) {
            problem(path, text, expected);
            return new HostPort("0.0.0.0", 1);
        }
    }

    /**
     * One of a fixed set of words, matched to the enum constant of the same name in kebab case
     * ({@code round-robin} is {@code ROUND_ROBIN}).
     */
    public <E extends Enum<E>> E oneOf(String path, Class<E> type) {
        E[] constants = type.getEnumConstants();
        String expected = "one of " + Arrays.stream(constants).map(ConfigText::word)
                .collect(Collectors.joining(", "));
        String text = read(path, expected, "", () -> config.getString(path));
        for (E constant : constants) {
            if (ConfigText.word(constant).equals(text)) {
                return constant;
            }
        }
        if (has(path)) {
            problem(path, text, expected);
        }
        return constants[0];
    }

    /** Readers for each object of a list, each reporting full paths such as {@code rebound.servers[0].name}. */
    public List<ConfigReader> elements(String path) {
        return elements(path, null);
    }

    /**
     * As {@link #elements(String)}, each element falling back to the object at {@code defaultsPath} for keys it does
     * not set (as HAProxy's {@code default-server} does for {@code server} lines).
     */
    public List<ConfigReader> elements(String path, String defaultsPath) {
        List<ConfigReader> readers = new ArrayList<>();
        if (!has(path)) {
            problem(path, "", "a list");
            return readers;
        }
        ConfigValue value = config.getValue(path);
        if (value.valueType() != ConfigValueType.LIST) {
            problem(path, ConfigText.value(value), "a list");
            return readers;
        }
        ConfigList list = (ConfigList) value;
        for (int i = 0; i < list.size(); i++) {
            ConfigValue element = list.get(i);
            String elementPath = full(path) + "[" + i + "]";
            if (element.valueType() != ConfigValueType.OBJECT) {
                problems.add(new ConfigProblem(ConfigProblem.where(element.origin()), elementPath,
                        ConfigText.value(element), "an object"));
                continue;
            }
            Config elementConfig = ((ConfigObject) element).toConfig();
            if (defaultsPath != null && config.hasPath(defaultsPath)) {
                elementConfig = elementConfig.withFallback(config.getConfig(defaultsPath));
            }
            readers.add(new ConfigReader(elementConfig, elementPath, problems));
        }
        return readers;
    }

    /**
     * Reports every key under {@code path} in this configuration that {@code allowed} (usually the reference
     * configuration) does not know, descending into objects both have. Lists are not descended into; their elements
     * are checked with {@link #rejectUnknownKeys(Set)}.
     */
    public void rejectUnknownKeys(String path, Config allowed, Set<String> skip) {
        new UnknownKeys(config, prefix, problems).under(path, allowed, skip);
    }

    /** Reports keys of this (element) object that are not among {@code allowed}. */
    public void rejectUnknownKeys(Set<String> allowed) {
        new UnknownKeys(config, prefix, problems).ofRoot(allowed);
    }

    public boolean has(String path) {
        return config.hasPath(path);
    }

    /** Records a problem found by a rule of the caller's (a cross-field check, a duplicate name). */
    public void problem(String path, String value, String expected) {
        problems.add(new ConfigProblem(origin(path), full(path), value, expected));
    }

    /** Records a problem of element {@code index} of the list at {@code path}, reported as {@code path[index]}. */
    public void problem(String path, int index, String value, String expected) {
        String origin = origin(path);
        if (config.hasPath(path) && config.getValue(path) instanceof ConfigList list && index < list.size()) {
            origin = ConfigProblem.where(list.get(index).origin());
        }
        problems.add(new ConfigProblem(origin, full(path) + "[" + index + "]", value, expected));
    }

    /** "file: line" of the value at {@code path}, or of the nearest enclosing value that has one. */
    public String origin(String path) {
        String candidate = path;
        while (true) {
            if (config.hasPathOrNull(candidate)) {
                return ConfigProblem.where(config.getValue(candidate).origin());
            }
            int dot = candidate.lastIndexOf('.');
            if (dot < 0) {
                return ConfigProblem.where(config.root().origin());
            }
            candidate = candidate.substring(0, dot);
        }
    }

    public List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    /** @throws ConfigException listing every problem recorded so far, if there is any */
    public void throwIfProblems() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private String full(String path) {
        return prefix.isEmpty() ? path : prefix + "." + path;
    }

    private <T> T read(String path, String expected, T placeholder, Getter<T> getter) {
        if (!config.hasPathOrNull(path) || config.getIsNull(path)) {
            problem(path, "", expected);
            return placeholder;
        }
        ConfigValue value = config.getValue(path);
        try {
            return getter.get();
        } catch (com.typesafe.config.ConfigException e) {
            problem(path, ConfigText.value(value), expected);
            return placeholder;
        }
    }

    @FunctionalInterface
    private interface Getter<T> {
        T get();
    }
}

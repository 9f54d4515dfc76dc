package io.rebound.supervisor;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.rebound.admin.AdminToken;
import io.rebound.config.ConfigFiles;
import io.rebound.config.ConfigReader;
import io.rebound.config.HostPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the supervisor reads from the configuration, read once and validated (all problems at once, full key
 * paths). Besides {@code rebound.supervisor.*} it reads four keys of the proxy's part: {@code rebound.admin.bind}
 * and {@code rebound.admin.token-file} (where the child's health endpoints answer, and the token they ask for),
 * {@code rebound.drain-timeout} and {@code rebound.bind} (the traffic address it binds itself when
 * {@code shareListener}).
 *
 * @param shareListener whether the supervisor binds {@code trafficBind} and its children serve that socket
 *     ({@code rebound.supervisor.share-listener})
 * @param childAdmin the child's admin address ({@code rebound.admin.bind}), probed for /health/*
 * @param drainTimeout the proxy's drain on SIGTERM ({@code rebound.drain-timeout})
 * @param trafficBind the proxy's traffic address ({@code rebound.bind})
 * @param standby warm standby children beside the main one, 0 or 1 ({@code rebound.supervisor.standby})
 * @param stopTimeout SIGTERM-to-SIGKILL grace of a graceful stop; longer than {@code drainTimeout}
 * @param adminToken the token of the supervisor's admin listener ({@code rebound.supervisor.admin.token-file})
 * @param childAdminToken the token of the child's admin listener ({@code rebound.admin.token-file}), sent with probes
 */
public record SupervisorSettings(
        HostPort adminBind,
        RestartPolicy restart,
        Duration restartDelay,
        int startLimitBurst,
        Duration startLimitInterval,
        Duration restartMaxDelay,
        Set<Integer> restartPreventExitStatus,
        Duration startTimeout,
        LivenessSettings liveness,
        Duration stopTimeout,
        List<String> childJvmOptions,
        HostPort childAdmin,
        Duration drainTimeout,
        boolean shareListener,
        HostPort trafficBind,
        int standby,
        Optional<AdminToken> adminToken,
        Optional<AdminToken> childAdminToken) {

    static final String ROOT = "rebound.supervisor";
    /** What {@code stop-timeout = auto} adds to the drain: time for the JVM to exit once the drain is over. */
    static final Duration AUTO_STOP_MARGIN = Duration.ofSeconds(5);
    private static final String AUTO = "auto";

    public SupervisorSettings {
        Objects.requireNonNull(adminBind, "adminBind");
        Objects.requireNonNull(restart, "restart");
        Objects.requireNonNull(restartDelay, "restartDelay");
        Objects.requireNonNull(startLimitInterval, "startLimitInterval");
        Objects.requireNonNull(restartMaxDelay, "restartMaxDelay");
        restartPreventExitStatus = Set.copyOf(restartPreventExitStatus);
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(liveness, "liveness");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        childJvmOptions = List.copyOf(childJvmOptions);
        Objects.requireNonNull(childAdmin, "childAdmin");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(trafficBind, "trafficBind");
        Objects.requireNonNull(adminToken, "adminToken");
        Objects.requireNonNull(childAdminToken, "childAdminToken");
    }

    /**
     * Reads and validates the supervisor's settings.
     *
     * @throws io.rebound.config.ConfigException naming every problem with file, line and full key path
     */
    public static SupervisorSettings read(Config config) {
        ConfigReader reader = new ConfigReader(config);
        reader.rejectUnknownKeys(ROOT, ConfigFiles.reference(), Set.of());
        HostPort adminBind = reader.hostPort(ROOT + ".admin.bind");
        Optional<AdminToken> adminToken = AdminToken.read(reader, ROOT + ".admin", adminBind);
        RestartPolicy restart = reader.oneOf(ROOT + ".restart", RestartPolicy.class);
        Duration restartDelay = reader.duration(ROOT + ".restart-delay", Duration.ZERO);
        int burst = reader.intInRange(ROOT + ".start-limit-burst", 1, 1000);
        Duration interval = reader.duration(ROOT + ".start-limit-interval", Duration.ofMillis(1));
        Duration maxDelay = reader.duration(ROOT + ".restart-max-delay", Duration.ZERO);
        if (maxDelay.compareTo(restartDelay) < 0) {
            reader.problem(ROOT + ".restart-max-delay", ConfigReader.format(maxDelay),
                    "at least " + ROOT + ".restart-delay (" + ConfigReader.format(restartDelay) + ")");
        }
        Set<Integer> prevent = exitStatuses(config, reader, ROOT + ".restart-prevent-exit-status");
        Duration startTimeout = reader.duration(ROOT + ".start-timeout", Duration.ofMillis(100));
        LivenessSettings liveness = new LivenessSettings(
                reader.duration(ROOT + ".liveness.interval", Duration.ofMillis(10)),
                reader.duration(ROOT + ".liveness.timeout", Duration.ofMillis(10)),
                reader.intInRange(ROOT + ".liveness.failures", 1, 100));
        List<String> jvmOptions = strings(config, reader, ROOT + ".child-jvm-options");
        HostPort childAdmin = reader.hostPort("rebound.admin.bind");
        Optional<AdminToken> childAdminToken = AdminToken.read(reader, "rebound.admin", childAdmin);
        Duration drain = reader.duration("rebound.drain-timeout", Duration.ZERO);
        Duration stopTimeout = stopTimeout(config, reader, drain);
        boolean shareListener = reader.bool(ROOT + ".share-listener");
        HostPort trafficBind = reader.listenAddress("rebound.bind");
        int standby = reader.intInRange(ROOT + ".standby", 0, 1);
        if (standby > 0 && !shareListener) {
            reader.problem(ROOT + ".standby", Integer.toString(standby), "0 while " + ROOT + ".share-listener is off: "
                    + "a standby proxy serves the listening socket the supervisor shares");
        }
        reader.throwIfProblems();
        return new SupervisorSettings(adminBind, restart, restartDelay, burst, interval, maxDelay, prevent,
                startTimeout, liveness, stopTimeout, jvmOptions, childAdmin, drain, shareListener, trafficBind,
                standby, adminToken, childAdminToken);
    }

    /** The crash-loop delay function these settings describe. */
    public Backoff backoff() {
        return new Backoff(restartDelay, restartMaxDelay);
    }

    private static Duration stopTimeout(Config config, ConfigReader reader, Duration drain) {
        String path = ROOT + ".stop-timeout";
        if (config.hasPath(path) && config.getValue(path).valueType() == ConfigValueType.STRING
                && AUTO.equals(config.getString(path))) {
            return drain.plus(AUTO_STOP_MARGIN);
        }
        Duration stop = reader.duration(path, Duration.ofMillis(1));
        if (reader.has(path) && stop.compareTo(drain) <= 0) {
            reader.problem(path, ConfigReader.format(stop), "auto, or a duration longer than rebound.drain-timeout ("
                    + ConfigReader.format(drain) + "), or SIGKILL would cut requests still draining");
        }
        return stop;
    }

    private static Set<Integer> exitStatuses(Config config, ConfigReader reader, String path) {
        String expected = "a list of exit codes from 0 to 255, such as [78]";
        Set<Integer> codes = new LinkedHashSet<>();
        for (ConfigValue value : list(config, reader, path, expected)) {
            Object unwrapped = value.unwrapped();
            if (value.valueType() == ConfigValueType.NUMBER && unwrapped instanceof Integer code
                    && code >= 0 && code <= 255) {
                codes.add(code);
            } else {
                reader.problem(path, String.valueOf(unwrapped), expected);
            }
        }
        return codes;
    }

    private static List<String> strings(Config config, ConfigReader reader, String path) {
        String expected = "a list of strings, such as [\"-XX:+UseSerialGC\"]";
        List<String> strings = new ArrayList<>();
        for (ConfigValue value : list(config, reader, path, expected)) {
            if (value.valueType() == ConfigValueType.STRING && !((String) value.unwrapped()).isBlank()) {
                strings.add((String) value.unwrapped());
            } else {
                reader.problem(path, String.valueOf(value.unwrapped()), expected);
            }
        }
        return strings;
    }

    private static List<ConfigValue> list(Config config, ConfigReader reader, String path, String expected) {
        if (!config.hasPath(path)) {
            reader.problem(path, "", expected);
            return List.of();
        }
        ConfigValue value = config.getValue(path);
        if (value.valueType() != ConfigValueType.LIST) {
            reader.problem(path, String.valueOf(value.unwrapped()), expected);
            return List.of();
        }
        return config.getList(path);
    }
}

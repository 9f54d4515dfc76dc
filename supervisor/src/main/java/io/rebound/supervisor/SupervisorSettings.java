package io.rebound.supervisor;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import io.rebound.admin.AdminSettings;
import io.rebound.admin.AdminToken;
import io.rebound.config.ConfigFiles;
import io.rebound.config.ConfigReader;
import io.rebound.config.ConfigText;
import io.rebound.config.HostPort;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the supervisor reads from the configuration, read once and validated (all problems at once, full key
 * paths). Besides {@code rebound.supervisor.*} it reads four keys of the proxy's part: {@code rebound.admin.bind}
 * and {@code rebound.admin.token-file} (where the child's health endpoints answer, and the token they ask for),
 * {@code rebound.drain-timeout} and {@code rebound.bind} (the traffic address it binds itself when the listener is
 * shared).
 *
 * @param admin the supervisor's own admin listener ({@code rebound.supervisor.admin})
 * @param restarts {@code restart}, {@code restart-delay}, {@code restart-max-delay}, {@code start-limit-*} and
 *     {@code restart-prevent-exit-status}
 * @param startTimeout how long a new child has to become ready ({@code rebound.supervisor.start-timeout})
 * @param liveness how the child's liveness is probed ({@code rebound.supervisor.liveness})
 * @param stopTimeout SIGTERM-to-SIGKILL grace of a graceful stop; longer than the child's drain timeout
 * @param listener {@code share-listener}, {@code standby} and the proxy's {@code rebound.bind}
 * @param child {@code child-jvm-options} and the proxy's {@code rebound.admin} and {@code rebound.drain-timeout}
 * @param stateFile where the runtime state of the servers is kept ({@code rebound.supervisor.state-file}, resolved)
 * @param statusPage the status page and its traffic history ({@code rebound.supervisor.status-page})
 */
public record SupervisorSettings(
        AdminSettings admin,
        RestartSettings restarts,
        Duration startTimeout,
        LivenessSettings liveness,
        Duration stopTimeout,
        ListenerSettings listener,
        ChildSettings child,
        Path stateFile,
        StatusPageSettings statusPage) {

    static final String ROOT = "rebound.supervisor";
    /** What {@code stop-timeout = auto} adds to the drain: time for the JVM to exit once the drain is over. */
    static final Duration AUTO_STOP_MARGIN = Duration.ofSeconds(5);
    private static final String AUTO = "auto";
    /** The file's name in a directory of its own, such as systemd's StateDirectory. */
    static final String STATE_FILE_NAME = "servers.json";

    public SupervisorSettings {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(restarts, "restarts");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(liveness, "liveness");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(child, "child");
        Objects.requireNonNull(stateFile, "stateFile");
        Objects.requireNonNull(statusPage, "statusPage");
    }

    /**
     * Reads and validates the supervisor's settings. Keys are read in the order of reference.conf, so problems are
     * listed in that order.
     *
     * @throws io.rebound.config.ConfigException naming every problem with file, line and full key path
     */
    public static SupervisorSettings read(Config config) {
        ConfigReader reader = new ConfigReader(config);
        reader.rejectUnknownKeys(ROOT, ConfigFiles.reference(), Set.of());
        HostPort adminBind = reader.hostPort(ROOT + ".admin.bind");
        AdminSettings admin = new AdminSettings(adminBind, AdminToken.read(reader, ROOT + ".admin", adminBind));
        RestartSettings restarts = restarts(reader);
        Duration startTimeout = reader.duration(ROOT + ".start-timeout", Duration.ofMillis(100));
        LivenessSettings liveness = new LivenessSettings(
                reader.duration(ROOT + ".liveness.interval", Duration.ofMillis(10)),
                reader.duration(ROOT + ".liveness.timeout", Duration.ofMillis(10)),
                reader.intInRange(ROOT + ".liveness.failures", 1, 100));
        ChildSettings child = child(reader);
        Duration stopTimeout = stopTimeout(config, reader, child.drainTimeout());
        ListenerSettings listener = listener(reader);
        Path stateFile = stateFile(reader, System.getenv("STATE_DIRECTORY"), adminBind);
        StatusPageSettings statusPage = statusPage(reader);
        reader.throwIfProblems();
        return new SupervisorSettings(admin, restarts, startTimeout, liveness, stopTimeout, listener, child,
                stateFile, statusPage);
    }

    private static RestartSettings restarts(ConfigReader reader) {
        RestartPolicy policy = reader.oneOf(ROOT + ".restart", RestartPolicy.class);
        Duration delay = reader.duration(ROOT + ".restart-delay", Duration.ZERO);
        StartLimit startLimit = new StartLimit(reader.intInRange(ROOT + ".start-limit-burst", 1, 1000),
                reader.duration(ROOT + ".start-limit-interval", Duration.ofMillis(1)));
        Duration maxDelay = reader.duration(ROOT + ".restart-max-delay", Duration.ZERO);
        if (maxDelay.compareTo(delay) < 0) {
            reader.problem(ROOT + ".restart-max-delay", ConfigText.duration(maxDelay),
                    "at least " + ROOT + ".restart-delay (" + ConfigText.duration(delay) + ")");
        }
        Set<Integer> prevent = reader.intSet(ROOT + ".restart-prevent-exit-status", 0, 255,
                "a list of exit codes from 0 to 255, such as [78]");
        return new RestartSettings(policy, delay, maxDelay, startLimit, prevent);
    }

    private static ChildSettings child(ConfigReader reader) {
        List<String> jvmOptions = reader.nonBlankStrings(ROOT + ".child-jvm-options",
                "a list of strings, such as [\"-XX:+UseSerialGC\"]");
        HostPort adminBind = reader.hostPort("rebound.admin.bind");
        AdminSettings admin = new AdminSettings(adminBind, AdminToken.read(reader, "rebound.admin", adminBind));
        return new ChildSettings(jvmOptions, admin, reader.duration("rebound.drain-timeout", Duration.ZERO));
    }

    private static ListenerSettings listener(ConfigReader reader) {
        boolean share = reader.bool(ROOT + ".share-listener");
        HostPort bind = reader.listenAddress("rebound.bind");
        int standby = reader.intInRange(ROOT + ".standby", 0, 1);
        if (standby > 0 && !share) {
            reader.problem(ROOT + ".standby", Integer.toString(standby), "0 while " + ROOT + ".share-listener is off: "
                    + "a standby proxy serves the listening socket the supervisor shares");
        }
        return new ListenerSettings(share, bind, standby);
    }

    /**
     * {@code state-file}: an absolute path, or {@code auto}: {@code $STATE_DIRECTORY/servers.json} when systemd gives
     * the service a state directory ({@code StateDirectory=rebound}: {@code /var/lib/rebound}), else a file of this
     * user's in the temporary directory, one per supervisor admin port (the demo, a test, a shell).
     */
    static Path stateFile(ConfigReader reader, String stateDirectory, HostPort adminBind) {
        String path = ROOT + ".state-file";
        String value = reader.string(path);
        if (value.equals(AUTO)) {
            if (stateDirectory != null && !stateDirectory.isBlank()) {
                // systemd passes one directory per StateDirectory= entry, separated by colons: the first is ours.
                return Path.of(stateDirectory.split(":")[0], STATE_FILE_NAME);
            }
            return Path.of(System.getProperty("java.io.tmpdir"), "rebound-" + System.getProperty("user.name"),
                    "servers-" + adminBind.port() + ".json");
        }
        try {
            Path file = Path.of(value);
            if (file.isAbsolute() && file.getFileName() != null) {
                return file;
            }
        } catch (InvalidPathException e) {
            // reported below
        }
        if (reader.has(path)) {
            reader.problem(path, value, "auto, or the absolute path of a file, such as /var/lib/rebound/servers.json");
        }
        return Path.of("/");
    }

    private static StatusPageSettings statusPage(ConfigReader reader) {
        return new StatusPageSettings(reader.bool(ROOT + ".status-page.enabled"),
                reader.durationInRange(ROOT + ".status-page.history", StatusPageSettings.MIN_HISTORY,
                        StatusPageSettings.MAX_HISTORY));
    }

    private static Duration stopTimeout(Config config, ConfigReader reader, Duration drain) {
        String path = ROOT + ".stop-timeout";
        if (config.hasPath(path) && config.getValue(path).valueType() == ConfigValueType.STRING
                && AUTO.equals(config.getString(path))) {
            return drain.plus(AUTO_STOP_MARGIN);
        }
        Duration stop = reader.duration(path, Duration.ofMillis(1));
        if (reader.has(path) && stop.compareTo(drain) <= 0) {
            reader.problem(path, ConfigText.duration(stop), "auto, or a duration longer than rebound.drain-timeout ("
                    + ConfigText.duration(drain) + "), or SIGKILL would cut requests still draining");
        }
        return stop;
    }
}

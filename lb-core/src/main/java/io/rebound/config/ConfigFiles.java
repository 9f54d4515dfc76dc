package io.rebound.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.Parse;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the user's configuration file, layered as: environment overrides ({@code CONFIG_FORCE_rebound_bind=...}), then
 * the file, then every {@code reference.conf} on the class path (the one place defaults live).
 */
public final class ConfigFiles {

    private ConfigFiles() {
    }

    /**
     * @throws ConfigException when the file is missing, unreadable or not valid HOCON, naming the file (and line)
     */
    public static Config load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(new ConfigProblem(file.toString(), "--config", file.toString(),
                    "a readable configuration file"));
        }
        Config user;
        try {
            user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (Parse e) {
            String origin = e.origin() == null ? file.toString() : ConfigProblem.where(e.origin());
            throw new ConfigException(new ConfigProblem(origin, "(file)", file.getFileName().toString(),
                    "valid HOCON: " + e.getMessage()));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(new ConfigProblem(file.toString(), "(file)", file.getFileName().toString(),
                    "a readable configuration file: " + e.getMessage()));
        }
        return layer(user);
    }

    /** The defaults alone, with environment overrides; what the demo and tests start from. */
    public static Config defaults() {
        return layer(ConfigFactory.empty());
    }

    /** Layers a configuration given as text (tests, generated configs) exactly as a file would be. */
    public static Config parse(String hocon, String originDescription) {
        return layer(ConfigFactory.parseString(hocon, ConfigParseOptions.defaults().setOriginDescription(
                originDescription)));
    }

    /**
     * Every {@code reference.conf} on Rebound's class path: the defaults. Loaded through this class's own class loader,
     * not the thread's context class loader, which threads the JVM creates (signal handlers) do not have.
     */
    public static Config reference() {
        return ConfigFactory.defaultReference(ConfigFiles.class.getClassLoader());
    }

    private static Config layer(Config user) {
        try {
            return ConfigFactory.systemEnvironmentOverrides()
                    .withFallback(user)
                    .withFallback(reference())
                    .resolve(ConfigResolveOptions.defaults());
        } catch (com.typesafe.config.ConfigException e) {
            String origin = e.origin() == null ? "(configuration)" : ConfigProblem.where(e.origin());
            throw new ConfigException(new ConfigProblem(origin, "(substitution)", "", e.getMessage()));
        }
    }
}

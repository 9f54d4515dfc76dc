package io.rebound.cli;

import com.typesafe.config.Config;
import io.rebound.config.ConfigFiles;
import io.rebound.config.ConfigReader;
import io.rebound.config.HostPort;
import java.nio.file.Path;
import java.util.Optional;

/** Where the commands that talk to a running supervisor find it: {@code rebound.supervisor.admin.bind}. */
final class SupervisorAddress {

    private SupervisorAddress() {
    }

    /**
     * The supervisor's admin address from {@code file}, or the default without one; a wildcard becomes loopback.
     *
     * @throws io.rebound.config.ConfigException when the file or the key is invalid
     */
    static HostPort of(Optional<Path> file) {
        Config config = file.map(ConfigFiles::load).orElseGet(ConfigFiles::defaults);
        ConfigReader reader = new ConfigReader(config);
        HostPort admin = reader.hostPort("rebound.supervisor.admin.bind");
        reader.throwIfProblems();
        return admin.host().equals("0.0.0.0") ? new HostPort("127.0.0.1", admin.port()) : admin;
    }
}

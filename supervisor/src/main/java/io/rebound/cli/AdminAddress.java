package io.rebound.cli;

import com.typesafe.config.Config;
import io.rebound.admin.AdminToken;
import io.rebound.config.ConfigFiles;
import io.rebound.config.ConfigReader;
import io.rebound.config.HostPort;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the commands that talk to a running admin listener find it, and the token they send it: the supervisor's
 * ({@code rebound.supervisor.admin.bind} and {@code .token-file}) or the proxy's ({@code rebound.admin.bind} and
 * {@code .token-file}).
 *
 * @param address the listener's address; a wildcard becomes loopback
 * @param token the listener's token, if it has one
 */
record AdminAddress(HostPort address, Optional<AdminToken> token) {

    /**
     * The supervisor's admin address and token from {@code file}, or the defaults without one.
     *
     * @throws io.rebound.config.ConfigException when the file or a key is invalid, or the token file cannot be read
     */
    static AdminAddress supervisor(Optional<Path> file) {
        return of(file, "rebound.supervisor.admin");
    }

    /**
     * The proxy's admin address and token from {@code file}, or the defaults without one.
     *
     * @throws io.rebound.config.ConfigException when the file or a key is invalid, or the token file cannot be read
     */
    static AdminAddress proxy(Optional<Path> file) {
        return of(file, "rebound.admin");
    }

    private static AdminAddress of(Optional<Path> file, String adminKey) {
        Config config = file.map(ConfigFiles::load).orElseGet(ConfigFiles::defaults);
        ConfigReader reader = new ConfigReader(config);
        HostPort admin = reader.hostPort(adminKey + ".bind");
        Optional<AdminToken> token = AdminToken.read(reader, adminKey, admin);
        reader.throwIfProblems();
        HostPort loopback = switch (admin.host()) {
            case "0.0.0.0" -> new HostPort("127.0.0.1", admin.port());
            case "::" -> new HostPort("::1", admin.port());
            default -> admin;
        };
        return new AdminAddress(loopback, token);
    }

    /** A request to {@code path} of the admin listener, carrying the token when there is one. */
    HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + address + path));
        token.ifPresent(secret -> request.header("Authorization", secret.authorization()));
        return request;
    }

    @Override
    public String toString() {
        return address.toString();
    }
}

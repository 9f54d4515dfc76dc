package io.rebound.testing;

import static org.awaitility.Awaitility.await;

import io.rebound.config.ConfigFiles;
import io.rebound.proxy.ProxyServer;
import io.rebound.proxy.ProxySettings;
import io.rebound.proxy.ProxySettingsReader;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** A real proxy on 127.0.0.1 port 0 in front of test backends, with fast checks; extra HOCON overrides anything. */
public final class TestProxy implements AutoCloseable {
    private final ProxyServer server;

    private TestProxy(ProxyServer server) {
        this.server = server;
    }

    public static TestProxy start(List<TestBackend> backends, String extraHocon) {
        return new TestProxy(ProxyServer.start(settings(backends, extraHocon)));
    }

    /** A proxy from a whole configuration (servers included), on the test's loopback defaults. */
    public static TestProxy start(String hocon) {
        return new TestProxy(ProxyServer.start(settings(hocon)));
    }

    public static ProxySettings settings(List<TestBackend> backends, String extraHocon) {
        String servers = backends.stream()
                .map(b -> "{ name = " + b.name() + ", address = \"" + b.address() + "\" }")
                .collect(Collectors.joining("\n    "));
        return settings("rebound.servers = [\n    " + servers + "\n]\n" + extraHocon);
    }

    public static ProxySettings settings(String hocon) {
        String base = """
                rebound {
                  bind = "127.0.0.1:0"
                  admin.bind = "127.0.0.1:0"
                  check { interval = 300ms, timeout = 250ms }
                  io-threads = 2
                }
                """;
        return ProxySettingsReader.read(ConfigFiles.parse(base + hocon, "test.conf"));
    }

    /**
     * Waits until every server is up. On a busy machine a first check can time out, and such a server joins only after
     * {@code rise} passing checks; tests of the balancing order start from all servers up.
     */
    public TestProxy awaitAllUp() {
        await("every server up").atMost(Duration.ofSeconds(10))
                .until(() -> server.servers().upServers().size()
                == server.servers().all().size());
        return this;
    }

    public ProxyServer server() {
        return server;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.trafficAddress().getPort() + path);
    }

    public URI adminUri(String path) {
        return URI.create("http://127.0.0.1:" + server.adminAddress().getPort() + path);
    }

    public int port() {
        return server.trafficAddress().getPort();
    }

    @Override
    public void close() {
        server.close(Duration.ofSeconds(1));
    }
}

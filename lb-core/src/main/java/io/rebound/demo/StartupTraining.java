package io.rebound.demo;

import io.rebound.config.ConfigFiles;
import io.rebound.proxy.ProxyServer;
import io.rebound.proxy.ProxySettingsReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The training run of the distribution's application class-data archive: the build runs this main with
 * {@code -XX:ArchiveClassesAtExit}, so the archive holds the classes a proxy loads from start to its first proxied
 * responses (config, Undertow, XNIO, health checks, metrics, logging). A proxy restarted from that archive starts in
 * about half the time, which is most of the recovery time after a {@code kill -9}.
 *
 * <p>Everything runs on loopback ports chosen free, and the run ends by itself.
 */
public final class StartupTraining {
    /** Requests through the proxy: enough to run every class of the forwarding path, the retry path excluded. */
    private static final int REQUESTS = 60;
    private static final int BACKENDS = 3;

    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        try (DemoBackends backends = DemoBackends.start("127.0.0.1", DemoBackends.freeConsecutivePorts(BACKENDS), BACKENDS);
             ProxyServer proxy = ProxyServer.start(ProxySettingsReader.read(ConfigFiles.parse(config(backends),
                     "startup training")))) {
            for (int i = 0; i < REQUESTS; i++) {
                get(proxy.trafficAddress(), "/");
            }
            for (String path : new String[] {"/health/live", "/health/started", "/health/ready", "/servers",
                    "/metrics"}) {
                get(proxy.adminAddress(), path);
            }
        }
        System.exit(0);
    }

    private static String config(DemoBackends backends) {
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < backends.ports().size(); i++) {
            servers.append("{ name = apache").append(i + 1).append(", address = \"127.0.0.1:")
                    .append(backends.ports().get(i)).append("\" }\n");
        }
        return "rebound { bind = \"127.0.0.1:0\", admin.bind = \"127.0.0.1:0\", drain-timeout = 100ms,"
                + " servers = [\n" + servers + "] }";
    }

    /**
     * One GET on a new connection, read to the end (the request asks the proxy to close). The Host is a loopback name,
     * as the admin listener answers only its own address or loopback names.
     */
    private static void get(InetSocketAddress address, String path) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            while (in.read(new byte[8192]) >= 0) {
                // drain the response
            }
        }
    }
}

package io.rebound.testing;

import static org.awaitility.Awaitility.await;

import io.rebound.config.HostPort;
import io.rebound.resolve.DnsAnswer;
import io.rebound.resolve.NameLookup;
import io.rebound.resolve.ResolverSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real DNS server for a test: dnsmasq on 127.0.0.1 and a free port, answering only from a hosts file of its own
 * (names under {@code .test}; any other name there is NXDOMAIN). {@link #set} rewrites the file, sends SIGHUP and waits
 * until dnsmasq answers the new addresses. Stopped after each test, also when it fails. Register with
 * {@code @RegisterExtension final DnsServer dns = new DnsServer();} and call {@link #start()}. Without dnsmasq the test
 * fails with what to install: it is part of the test environment ({@code dev/setup-test-env.sh}).
 */
public final class DnsServer implements AfterEachCallback {
    private static final Path DNSMASQ = Path.of("/usr/sbin/dnsmasq");
    private static final Duration READY = Duration.ofSeconds(5);

    private final Map<String, List<String>> names = new LinkedHashMap<>();
    private Path dir;
    private Path hostsFile;
    private Process process;
    private int port;
    private NameLookup lookup;

    public DnsServer start() {
        if (!Files.isExecutable(DNSMASQ)) {
            throw new AssertionError("dnsmasq is missing (" + DNSMASQ + "): the tests of servers by name need a real "
                    + "DNS server; install Debian's dnsmasq-base (dev/setup-test-env.sh does)");
        }
        try {
            dir = Files.createTempDirectory("rebound-dns");
            hostsFile = dir.resolve("hosts");
            Files.writeString(hostsFile, "");
            port = freePort();
            process = new ProcessBuilder(DNSMASQ.toString(), "--keep-in-foreground", "--conf-file=/dev/null",
                    "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
                    "--local=/test/", "--addn-hosts=" + hostsFile, "--pid-file=" + dir.resolve("pid"),
                    "--local-ttl=1", "--user=" + System.getProperty("user.name"), "--log-facility=-")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start dnsmasq", e);
        }
        lookup = new NameLookup(new ResolverSettings(List.of(address()), Duration.ofSeconds(1),
                Duration.ofMillis(200), Duration.ZERO, Duration.ZERO));
        await("dnsmasq answers on 127.0.0.1:" + port + " (log: " + log() + ")").atMost(READY)
                .until(() -> process.isAlive()
                        && lookup.resolve("ready.test").outcome() == DnsAnswer.Outcome.NO_SUCH_NAME);
        return this;
    }

    /** The name server's address, for {@code rebound.resolvers.nameservers}. */
    public HostPort address() {
        return new HostPort("127.0.0.1", port);
    }

    /** {@code rebound.resolvers.nameservers = ["127.0.0.1:<port>"]} */
    public String nameserversHocon() {
        return "rebound.resolvers.nameservers = [\"" + address() + "\"]\n";
    }

    /** Makes {@code name} resolve to exactly {@code addresses} (none: NXDOMAIN) and waits until dnsmasq says so. */
    public void set(String name, String... addresses) {
        if (addresses.length == 0) {
            names.remove(name);
        } else {
            names.put(name, List.of(addresses));
        }
        StringBuilder hosts = new StringBuilder();
        names.forEach((host, ips) -> ips.forEach(ip -> hosts.append(ip).append(' ').append(host).append('\n')));
        try {
            Files.writeString(hostsFile, hosts);
            signal("HUP");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> wanted = List.of(addresses).stream().sorted().toList();
        await("dnsmasq answers " + name + " -> " + wanted).atMost(READY)
                .until(() -> {
                    DnsAnswer answer = lookup.resolve(name);
                    return answer.addresses().stream().map(InetAddress::getHostAddress).sorted().toList().equals(wanted)
                            && (wanted.isEmpty() ? answer.outcome() == DnsAnswer.Outcome.NO_SUCH_NAME : answer.found());
                });
    }

    /** Freezes dnsmasq (SIGSTOP): queries get no answer, as from a name server that is down. */
    public void freeze() {
        signal("STOP");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("log")).trim();
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /** A port free for both UDP and TCP on 127.0.0.1 (dnsmasq listens on both). */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", tcp.getLocalPort()))) {
                return udp.getLocalPort();
            } catch (IOException e) {
                // the UDP port was taken: try another
            }
        }
        throw new IOException("no port free for both UDP and TCP");
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (process != null) {
            process.destroyForcibly(); // SIGKILL works on a frozen process too
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
                for (Path file : all) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}

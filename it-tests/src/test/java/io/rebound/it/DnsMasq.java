package io.rebound.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;

/**
 * A real DNS server for a drill: dnsmasq on 127.0.0.1 and a free port, answering the names of the drill (under
 * {@code .rebound.test}) from a hosts file of its own. {@link #set} rewrites the file, sends SIGHUP and waits until
 * dnsmasq answers the new address (asked through the JDK's JNDI DNS client, no cache). {@link #close} stops it.
 */
final class DnsMasq implements AutoCloseable {
    private static final Path DNSMASQ = Path.of("/usr/sbin/dnsmasq");
    private static final Duration READY = Duration.ofSeconds(10);

    private final Map<String, String> names = new LinkedHashMap<>();
    private final Path dir;
    private final Path hosts;
    private final int port;
    private final Process process;

    private DnsMasq(Path dir, int port, Process process) {
        this.dir = dir;
        this.hosts = dir.resolve("hosts");
        this.port = port;
        this.process = process;
    }

    static DnsMasq start() {
        if (!Files.isExecutable(DNSMASQ)) {
            throw new AssertionError("dnsmasq is missing (" + DNSMASQ + "); dev/setup-test-env.sh installs it");
        }
        try {
            Path dir = Files.createTempDirectory("rebound-it-dns");
            Files.writeString(dir.resolve("hosts"), "");
            int port = freeUdpPort();
            Process process = new ProcessBuilder(DNSMASQ.toString(), "--keep-in-foreground", "--conf-file=/dev/null",
                    "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
                    "--local=/test/", "--addn-hosts=" + dir.resolve("hosts"), "--pid-file=" + dir.resolve("pid"),
                    "--local-ttl=1", "--user=" + System.getProperty("user.name"), "--log-facility=-")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
            DnsMasq dns = new DnsMasq(dir, port, process);
            await("dnsmasq answering on 127.0.0.1:" + port)
                    .atMost(READY).ignoreExceptionsInstanceOf(Exception.class)
                    .until(() -> process.isAlive()
                    && dns.lookup("ready.rebound.test").equals("NXDOMAIN"));
            return dns;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start dnsmasq", e);
        }
    }

    /** {@code host:port} of the name server, for {@code rebound.resolvers.nameservers}. */
    String address() {
        return "127.0.0.1:" + port;
    }

    /** Makes {@code name} resolve to {@code address} only, and waits until dnsmasq answers so. */
    void set(String name, String address) {
        names.put(name, address);
        StringBuilder text = new StringBuilder();
        names.forEach((n, a) -> text.append(a).append(' ').append(n).append('\n'));
        try {
            Files.writeString(hosts, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        await("dnsmasq answering " + name + " -> " + address)
                .atMost(READY).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> lookup(name), address::equals);
    }

    /** The A record dnsmasq gives for {@code name} now, or NXDOMAIN. */
    String lookup(String name) {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, "dns://127.0.0.1:" + port);
        env.put("com.sun.jndi.dns.timeout.initial", "500");
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        try {
            InitialDirContext context = new InitialDirContext(env);
            try {
                Attribute a = context.getAttributes(name, new String[] {"A"}).get("A");
                return a == null ? "NXDOMAIN" : String.valueOf(a.get());
            } finally {
                context.close();
            }
        } catch (javax.naming.NameNotFoundException e) {
            return "NXDOMAIN";
        } catch (NamingException e) {
            return "no answer: " + e.getMessage();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

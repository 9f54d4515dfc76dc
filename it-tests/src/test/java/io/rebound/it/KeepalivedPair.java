package io.rebound.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Two Rebound containers with keepalived ({@link ReboundImage}) sharing one virtual address on a Docker network of
 * their own, in front of the three Apache containers attached to that network. Each runs the distribution's
 * keepalived.conf with only its definitions filled in; the supervisor's admin answers on the container's address with
 * a token, so the drill reads each machine's VRRP state from {@code /status}. {@link #close()} removes the containers
 * (keeping their logs in the work directory), detaches the Apaches and removes the network.
 */
final class KeepalivedPair implements AutoCloseable {
    /** Between two looks: short against the drills' timings, long enough not to load the machine. */
    private static final Duration POLL = Duration.ofMillis(50);
    static final int TRAFFIC_PORT = 8080;
    private static final int SUPERVISOR_ADMIN_PORT = 8405;
    private static final String TOKEN = "pair-drill-token";
    private static final Pattern VRRP_STATE = Pattern.compile("\"vrrp\":\\{\"state\":\"(\\w+)\",\"since\":(\\d+)");
    private static final Pattern CHILD_PID = Pattern.compile("\"childPid\":(\\d+)");

    /** One Rebound machine: its container name and its files. */
    record Node(String name, Path dir) {
    }

    /** A machine's VRRP state as its supervisor reports it, and since when (epoch ms). */
    record Vrrp(String state, long since) {
    }

    private final String network;
    private final String vip;
    private final List<Node> nodes;
    private final List<ApacheServer> apaches;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private KeepalivedPair(String network, String vip, List<Node> nodes, List<ApacheServer> apaches) {
        this.network = network;
        this.vip = vip;
        this.nodes = nodes;
        this.apaches = apaches;
    }

    /** Creates the network, attaches the Apaches and starts both machines (not waiting for them). */
    static KeepalivedPair start(ApacheCluster cluster, Path work) throws IOException {
        return start(cluster, work, UnaryOperator.identity());
    }

    /** As {@link #start(ApacheCluster, Path)}, the shipped keepalived.conf changed by {@code edits} first. */
    static KeepalivedPair start(ApacheCluster cluster, Path work, UnaryOperator<String> edits) throws IOException {
        String suffix = ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
        String network = "rebound-it-pair-" + suffix;
        DockerCli.ok("network", "create", "--label", "io.rebound.it=pair", network);
        KeepalivedPair pair = null;
        try {
            String subnet = DockerCli.ok("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", network);
            String vip = vipIn(subnet);
            for (ApacheServer apache : cluster.servers()) {
                DockerCli.ok("network", "connect", network, apache.containerId());
            }
            String servers = cluster.servers().stream()
                    .map(apache -> "    { name = " + apache.name() + ", address = \"" + ipOf(apache.containerId(),
                            network) + ":80\" }")
                    .collect(Collectors.joining("\n"));
            String template = edits.apply(Files.readString(ReboundImage.shipped("keepalived/keepalived.conf")));
            List<Node> nodes = List.of(node("a-" + suffix, 150, work, servers, template, vip),
                    node("b-" + suffix, 100, work, servers, template, vip));
            pair = new KeepalivedPair(network, vip.substring(0, vip.indexOf('/')), nodes, cluster.servers());
            for (Node node : nodes) {
                pair.run(node);
            }
            return pair;
        } catch (RuntimeException | IOException e) {
            if (pair != null) {
                pair.close();
            } else {
                for (ApacheServer apache : cluster.servers()) {
                    DockerCli.quietly("network", "disconnect", "-f", network, apache.containerId());
                }
                DockerCli.quietly("network", "rm", network);
            }
            throw e;
        }
    }

    /** The virtual address, without its prefix. */
    String vip() {
        return vip;
    }

    List<Node> nodes() {
        return nodes;
    }

    Node other(Node node) {
        return nodes.get(0).equals(node) ? nodes.get(1) : nodes.get(0);
    }

    /** The machine that holds the virtual address now (ip addr in the container), if any. */
    Optional<Node> holder() {
        return nodes.stream().filter(this::holdsVip).findFirst();
    }

    boolean holdsVip(Node node) {
        CommandResult addresses = DockerCli.run("exec", node.name(), "ip", "-o", "-4", "addr", "show");
        return addresses.exitCode() == 0 && addresses.output().contains(" " + vip + "/");
    }

    /** Waits until one machine holds the address and says MASTER, and the other says BACKUP; returns the MASTER. */
    Node awaitSettled(Duration timeout) {
        return await("one MASTER holding " + vip + " and one BACKUP").atMost(timeout)
                .pollInterval(POLL).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> {
            Optional<Node> master = holder();
            if (master.isEmpty()) {
                return null;
            }
            boolean settled = vrrp(master.get()).map(v -> v.state().equals("MASTER")).orElse(false)
                    && vrrp(other(master.get())).map(v -> v.state().equals("BACKUP")).orElse(false)
                    && !holdsVip(other(master.get()));
            return settled ? master.get() : null;
        }, master -> master != null);
    }

    /** The machine's VRRP state from its supervisor's /status; empty while it does not answer or was never told. */
    Optional<Vrrp> vrrp(Node node) {
        return status(node).map(VRRP_STATE::matcher).filter(Matcher::find)
                .map(m -> new Vrrp(m.group(1), Long.parseLong(m.group(2))));
    }

    /** The pid (in the container) of the proxy the machine's supervisor runs, if one runs. */
    Optional<Long> proxyPid(Node node) {
        return status(node).map(CHILD_PID::matcher).filter(Matcher::find).map(m -> Long.parseLong(m.group(1)));
    }

    /** {@code docker start} of a machine killed or stopped before. */
    void startAgain(Node node) {
        DockerCli.ok("start", node.name());
    }

    /** The container's exit code once it ended. */
    int exitCode(Node node) {
        return Integer.parseInt(DockerCli.ok("inspect", "-f", "{{.State.ExitCode}}", node.name()));
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            try {
                Files.writeString(node.dir().resolve("container.log"), DockerCli.run("logs", node.name()).output());
            } catch (IOException | RuntimeException e) {
                // the log is a convenience; removing the container matters
            }
            DockerCli.quietly("rm", "-f", node.name());
        }
        for (ApacheServer apache : apaches) {
            DockerCli.quietly("network", "disconnect", "-f", network, apache.containerId());
        }
        DockerCli.quietly("network", "rm", network);
    }

    private Optional<String> status(Node node) {
        try {
            String ip = ipOf(node.name(), network);
            if (ip.isEmpty()) {
                return Optional.empty();
            }
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":"
                            + SUPERVISOR_ADMIN_PORT + "/status")).timeout(Duration.ofSeconds(1))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void run(Node node) {
        DockerCli.ok("run", "-d", "--name", node.name(), "--hostname", node.name(), "--network", network,
                "--cap-add", "NET_ADMIN", "--cap-add", "NET_RAW", "--cap-add", "SYS_NICE",
                // ARP only for addresses of the asking interface: what lets a stopping machine keep the virtual
                // address on lo while its proxy drains (see packaging/docker/entrypoint.sh)
                "--sysctl", "net.ipv4.conf.all.arp_ignore=1", "--sysctl", "net.ipv4.conf.all.arp_announce=2",
                "--label", "io.rebound.it=pair", "--no-healthcheck", "-e", "REBOUND_KEEPALIVED=1",
                "-v", node.dir().resolve("rebound") + ":/etc/rebound:ro",
                "-v", node.dir().resolve("keepalived.conf") + ":/etc/keepalived/keepalived.conf:ro",
                ReboundImage.NAME);
    }

    private static Node node(String name, int priority, Path work, String servers, String template, String vip)
            throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        Path etc = Files.createDirectories(dir.resolve("rebound"));
        Files.writeString(etc.resolve("supervisor.token"), TOKEN + "\n");
        Files.writeString(etc.resolve("rebound.conf"), """
                # Generated by KeepalivedPairIT for one machine of the pair.
                rebound {
                  bind = "*:%d"
                  servers = [
                %s
                  ]
                  check { interval = 500ms, timeout = 400ms, rise = 2, fall = 2 }
                  timeouts { connect = 500ms, response = 2s }
                  admin.bind = "127.0.0.1:8404"
                  drain-timeout = 2s
                  supervisor {
                    admin.bind = "0.0.0.0:%d"
                    admin.token-file = "/etc/rebound/supervisor.token"
                    # A frozen proxy is replaced only after about 20 s: the drill of a MASTER that stops being ready
                    # lets keepalived's check move the address first.
                    liveness { interval = 1s, timeout = 1s, failures = 10 }
                    child-jvm-options = ["-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"]
                  }
                }
                """.formatted(TRAFFIC_PORT, servers, SUPERVISOR_ADMIN_PORT));
        String keepalived = define(template, "INTERFACE", "eth0");
        keepalived = define(keepalived, "VIP", vip);
        keepalived = define(keepalived, "PRIORITY", Integer.toString(priority));
        Files.writeString(dir.resolve("keepalived.conf"), keepalived);
        return new Node(name, dir);
    }

    /** The shipped file with the definition {@code $NAME=...} set to {@code value}: what an operator edits. */
    private static String define(String template, String name, String value) {
        Pattern line = Pattern.compile("(?m)^\\$" + name + "=.*$");
        if (!line.matcher(template).find()) {
            throw new IllegalStateException("the shipped keepalived.conf has no definition $" + name + "=");
        }
        return line.matcher(template).replaceFirst(Matcher.quoteReplacement("$" + name + "=" + value));
    }

    /** .250 of the network's first /24: far above the few addresses Docker hands out to the drill's containers. */
    private static String vipIn(String subnet) {
        String[] parts = subnet.split("/");
        String[] octets = parts[0].split("\\.");
        return octets[0] + "." + octets[1] + "." + octets[2] + ".250/" + parts[1];
    }

    private static String ipOf(String container, String network) {
        CommandResult result = DockerCli.run("inspect", "-f",
                "{{with index .NetworkSettings.Networks \"" + network + "\"}}{{.IPAddress}}{{end}}", container);
        if (result.exitCode() != 0) {
            throw new UncheckedIOException(new IOException("docker inspect " + container + ": " + result.output()));
        }
        return result.output().strip();
    }
}

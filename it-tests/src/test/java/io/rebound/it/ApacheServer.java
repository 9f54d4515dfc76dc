package io.rebound.it;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * One Apache backend: a container of the project's image with hostname {@code name}, answering
 * {@code This is <name>} at {@code /} (after {@link #deploy}, {@code This is <name> <release>}), published on a fixed
 * free port of 127.0.0.1. The port binding is part of the container, so after {@link #kill()} and
 * {@link #startAgain()} the server is back at the same address, as a rebooted machine keeps its IP. All traffic goes
 * through that loopback port, never to the bridge address.
 */
final class ApacheServer implements AutoCloseable {
    /** Apache answers in milliseconds; a cold container start on a busy 2-core machine takes a few seconds. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final int HTTP = 80;

    private final String name;
    private final String host;
    private final int port;
    private final GenericContainer<?> container;
    /** What it serves at {@code /}: its start-up page until a release is deployed. */
    private volatile String page;

    ApacheServer(String name) {
        this(name, "127.0.0.1", FreePorts.loopback());
    }

    /**
     * A backend published on {@code host:port}, where host is a loopback address (127.0.0.0/8): a replacement of a
     * server can take the same port on another loopback address, as a recreated instance takes another IP.
     */
    ApacheServer(String name, String host, int port) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.page = "This is " + name;
        this.container = new GenericContainer<>(ApacheImage.name())
                .withImagePullPolicy(ApacheImage.NEVER_PULL)
                .withExposedPorts(HTTP)
                .withLabel("io.rebound.it", "apache")
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withName("rebound-it-" + name + "-" + host.replace('.', '-') + "-" + port).withHostName(name);
                    cmd.getHostConfig().withPortBindings(
                            new PortBinding(Ports.Binding.bindIpAndPort(host, port), ExposedPort.tcp(HTTP)));
                })
                .waitingFor(Wait.forHttp("/")
                        .forPort(HTTP)
                        .forResponsePredicate(this::isOwnPage)
                        .withStartupTimeout(START_TIMEOUT));
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    /** host:port as the proxy's configuration names it. */
    String address() {
        return host + ":" + port;
    }

    String host() {
        return host;
    }

    /** The container's id, for drills that also attach it to a network of their own. */
    String containerId() {
        return container.getContainerId();
    }

    /** Requests other than health checks that Apache logged so far (its access log in the container). */
    int trafficRequests() {
        try {
            return container.execInContainer("sh", "-c",
                            "grep -vc rebound-check /var/log/apache2/access.log 2>/dev/null || true")
                    .getStdout().strip().transform(Integer::parseInt);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void start() {
        ApacheImage.requirePresent();
        container.start();
    }

    /** {@code docker kill}: SIGKILL to Apache (the container's PID 1); the published port stops accepting. */
    void kill() {
        docker().killContainerCmd(container.getContainerId()).exec();
        await(name + " stopped after docker kill")
                .atMost(START_TIMEOUT).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> !state().getRunning());
    }

    /** {@code docker start} after {@link #kill()}: same container, same port; returns once it serves its page. */
    void startAgain() {
        docker().startContainerCmd(container.getContainerId()).exec();
        awaitServing();
    }

    /**
     * Deploys {@code release} as a deploy script would: ships the new page ({@code This is <name> <release>}, served
     * at {@code /} through a config file of its own, as the image's start-up script rewrites index.html at every
     * start), stops Apache gracefully ({@code apachectl -k graceful-stop}: requests in flight finish, idle keep-alive
     * connections close; the container ends with it), starts the container again and returns once Apache serves the
     * new page. (A plain {@code docker restart} takes 10 s here: the container's PID 1 is the apachectl shell, which
     * ignores SIGTERM, so Docker kills it after its timeout.)
     */
    void deploy(String release) {
        if (!release.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("release: " + release + " (expected: letters, digits, '.', '_', '-')");
        }
        String next = "This is " + name + " " + release;
        String dir = "/var/www/releases/" + release;
        DockerCli.ok("exec", containerId(), "sh", "-c", "mkdir -p " + dir + " && printf '%s\\n' \"$1\" > " + dir
                + "/index.html && printf 'AliasMatch \"^/$\" \"%s\"\\n' " + dir + "/index.html"
                + " > /etc/apache2/conf-enabled/zz-release.conf && apachectl -t", "ship", next);
        DockerCli.ok("exec", containerId(), "apachectl", "-k", "graceful-stop");
        await(name + " stopped after apachectl -k graceful-stop")
                .atMost(START_TIMEOUT).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> !state().getRunning());
        DockerCli.ok("start", containerId());
        page = next;
        awaitServing();
    }

    /** What it answers at {@code /} once serving: {@code This is <name>}, or the deployed release's page. */
    String page() {
        return page;
    }

    /** {@code docker pause}: every process of the container frozen; TCP still connects, nothing answers. */
    void pause() {
        docker().pauseContainerCmd(container.getContainerId()).exec();
    }

    void unpause() {
        docker().unpauseContainerCmd(container.getContainerId()).exec();
        awaitServing();
    }

    /** Brings a killed or paused server back, whatever a drill left it in; returns once it serves its page. */
    void restore() {
        ContainerState state = state();
        if (Boolean.TRUE.equals(state.getPaused())) {
            unpause();
        } else if (!Boolean.TRUE.equals(state.getRunning())) {
            startAgain();
        } else {
            awaitServing();
        }
    }

    void awaitServing() {
        await(name + " serving '" + page + "' on " + address())
                .atMost(START_TIMEOUT).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> Http.get(host, port, "/"), answer -> answer.isOk() && isOwnPage(answer.body()));
    }

    @Override
    public void close() {
        container.stop();
    }

    private boolean isOwnPage(String body) {
        return body.strip().equals(page);
    }

    private ContainerState state() {
        return docker().inspectContainerCmd(container.getContainerId()).exec().getState();
    }

    static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }
}

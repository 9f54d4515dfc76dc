package io.rebound.it;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A Debian machine booting systemd as PID 1 (the project's image {@code rebound-it/systemd:bookworm}, built by
 * dev/setup-test-env.sh, never pulled), on which the distribution's tarball is installed as its systemd unit's comment
 * says. Commands run as root through {@code docker exec}, as an operator's shell would.
 */
final class SystemdMachine implements AutoCloseable {
    private static final String IMAGE_PROPERTY = "rebound.it.systemd-image";
    /** Booting systemd in a container takes a few seconds; a busy 2-core machine may need much longer. */
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    /** rebound.service's configuration file. */
    static final String CONFIG_FILE = "/etc/rebound/rebound.conf";
    /** What {@code pgrep -f} looks for to find the proxy, as operators do. */
    static final String PROXY = "java.*io[.]rebound[.]proxy[.]ProxyMain";
    /** Generous: a JVM start on a busy 2-core machine inside a container. */
    static final Duration RECOVERY = Duration.ofSeconds(30);
    /** Rebound on port 80 before the three backends of {@link #installReboundBesideThreeBackends()}. */
    static final String CONFIG_OF_THE_THREE_BACKENDS = """
            rebound {
              bind = "*:80"
              servers = [
                { name = apache1, address = "127.0.0.1:8081" }
                { name = apache2, address = "127.0.0.1:8082" }
                { name = apache3, address = "127.0.0.1:8083" }
              ]
              check { interval = 500ms, timeout = 400ms }
              admin.bind = "127.0.0.1:9404"
              drain-timeout = 2s
              supervisor.admin.bind = "127.0.0.1:9405"
            }
            """;

    private final GenericContainer<?> container;

    private SystemdMachine(GenericContainer<?> container) {
        this.container = container;
    }

    /** Boots the machine with the distribution's tarball at /root/rebound.tar.gz (systemd empties /tmp at boot). */
    static SystemdMachine boot() {
        Path tarball = Path.of(Distribution.launcher().getParent().getParent() + ".tar.gz");
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException("no " + tarball + ": build the distribution first (./mvnw package)");
        }
        DockerImageName image = DockerImageName.parse(System.getProperty(IMAGE_PROPERTY,
                "rebound-it/systemd:bookworm"));
        // What systemd needs in a container here (--privileged does not work on this kind of machine).
        GenericContainer<?> container = new GenericContainer<>(image)
                .withImagePullPolicy(ApacheImage.NEVER_PULL)
                .withLabel("io.rebound.it", "systemd")
                .withTmpFs(Map.of("/run", "rw", "/run/lock", "rw"))
                .withCopyFileToContainer(MountableFile.forHostPath(tarball), "/root/rebound.tar.gz")
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withCapAdd(Capability.SYS_ADMIN)
                        .withSecurityOpts(List.of("seccomp=unconfined"))
                        .withBinds(new Bind("/sys/fs/cgroup", new Volume("/sys/fs/cgroup"), AccessMode.rw)));
        SystemdMachine machine = new SystemdMachine(container);
        try {
            container.start();
            await("systemd in the container to finish booting")
                    .atMost(BOOT_TIMEOUT).ignoreExceptionsInstanceOf(Exception.class)
                    .until(() -> machine.sh("systemctl is-system-running").output().strip(),
                            state -> state.equals("running") || state.equals("degraded"));
        } catch (RuntimeException e) {
            machine.close();
            throw new IllegalStateException("cannot boot the systemd machine from " + image + " (built by "
                    + "dev/setup-test-env.sh with it-tests/docker/build-systemd-image.sh)", e);
        }
        return machine;
    }

    /**
     * Installs the distribution as rebound.service's comment says (a system user, the tarball under /opt, the unit in
     * /etc/systemd/system) and starts three demo backends on 127.0.0.1:8081-8083 in a unit of their own, so that they
     * outlive every drill on rebound.service. Does not start rebound.service.
     */
    void installReboundBesideThreeBackends() {
        run("useradd --system --no-create-home --shell /usr/sbin/nologin rebound");
        run("tar -C /opt -xzf /root/rebound.tar.gz && ln -sfn /opt/rebound-* /opt/rebound");
        run("mkdir -p /etc/rebound && cp /opt/rebound/systemd/rebound.service /etc/systemd/system/"
                + " && systemctl daemon-reload");
        run("systemd-run --unit=demo-backends /usr/bin/java -cp '/opt/rebound/lib/*'"
                + " io.rebound.demo.DemoBackendsMain 127.0.0.1 8081 3");
    }

    /** Writes rebound.service's configuration file. */
    void writeConfig(String hocon) {
        run("cat > " + CONFIG_FILE + " <<'EOF'\n" + hocon + "EOF");
    }

    /** Waits until Rebound answers on port 80 with one of the backends. */
    void awaitServingOnPort80() {
        await("Rebound to serve on port 80")
                .atMost(RECOVERY).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> sh("curl -s --max-time 2 http://127.0.0.1:80/").output(),
                        body -> body.startsWith("This is apache"));
    }

    /** The pids of the processes whose command line matches {@code pattern}, as {@code pgrep -f} finds them. */
    List<Long> pids(String pattern) {
        return sh("pgrep -f '" + pattern + "'").output().lines().map(String::strip)
                .filter(line -> !line.isEmpty()).map(Long::parseLong).toList();
    }

    /** Runs {@code script} with {@code sh -c} as root; stdout and stderr together. */
    CommandResult sh(String script) {
        try {
            ExecResult result = container.execInContainer("timeout", Long.toString(COMMAND_TIMEOUT.toSeconds()),
                    "sh", "-c", script);
            return new CommandResult(result.getExitCode(), result.getStdout() + result.getStderr());
        } catch (IOException e) {
            throw new IllegalStateException("docker exec failed: " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + script, e);
        }
    }

    /** Runs {@code script} and fails with its output unless it exits 0; returns what it printed. */
    String run(String script) {
        CommandResult result = sh(script);
        if (result.exitCode() != 0) {
            throw new AssertionError("`" + script + "` exited " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }

    /** One property of a unit, as {@code systemctl show -p NAME --value UNIT} prints it. */
    String unitProperty(String unit, String name) {
        return run("systemctl show -p " + name + " --value " + unit).strip();
    }

    /** The unit's journal, for failure messages. */
    String journal(String unit) {
        return sh("journalctl -u " + unit + " --no-pager | tail -n 40").output();
    }

    @Override
    public void close() {
        container.stop();
    }
}

package io.rebound.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's {@code systemd/rebound.service} passes {@code systemd-analyze verify} and says what an operator
 * expects of it. systemd-analyze checks a unit against a root holding systemd's own units and the unit's programs,
 * so the test lays out such a root: the host's system units, and the distribution at {@code /opt/rebound}.
 */
class SystemdUnitIT {
    private static final Path DISTRIBUTION = Distribution.launcher().getParent().getParent();
    private static final Path UNIT = DISTRIBUTION.resolve("systemd/rebound.service");

    @Test
    void theUnitFilePassesSystemdAnalyzeVerifyWithoutAWarning(@TempDir Path root) throws IOException {
        Path unit = layOutRoot(root, Files.readString(UNIT));

        CommandResult verify = verify(root, unit);

        assertEquals(0, verify.exitCode(), verify.output());
        assertEquals("", verify.output().strip(), "systemd-analyze printed warnings");
    }

    @Test
    void theSocketUnitAndItsDropInPassSystemdAnalyzeVerifyWithoutAWarning(@TempDir Path root) throws IOException {
        Path unit = layOutRoot(root, Files.readString(UNIT));
        Path socket = unit.resolveSibling("rebound.socket");
        Files.copy(DISTRIBUTION.resolve("systemd/rebound.socket"), socket);
        Path dropIns = Files.createDirectories(unit.resolveSibling("rebound.service.d"));
        Files.copy(DISTRIBUTION.resolve("systemd/rebound.service.d/socket-activation.conf"),
                dropIns.resolve("socket-activation.conf"));

        CommandResult verify = OsProcesses.run("systemd-analyze", "verify", "--root=" + root, socket.toString(),
                unit.toString());

        assertEquals(0, verify.exitCode(), verify.output());
        assertEquals("", verify.output().strip(), "systemd-analyze printed warnings");
        List<String> dropIn = Files.readAllLines(dropIns.resolve("socket-activation.conf"));
        assertTrue(dropIn.contains("StandardInput=socket"), "the supervisor takes the socket from standard input");
        assertTrue(dropIn.contains("StandardOutput=journal"), "output must not inherit the socket");
    }

    @Test
    void aMistakeInTheUnitFileIsWhatVerifyReports(@TempDir Path root) throws IOException {
        Path unit = layOutRoot(root, Files.readString(UNIT).replace("Restart=always", "Restart=alwayz"));

        CommandResult verify = verify(root, unit);

        assertTrue(verify.output().contains("alwayz"), "expected systemd-analyze to reject the typo: "
                + verify.output());
    }

    @Test
    void theUnitRestartsTheSupervisorRunsUnprivilegedOnPort80AndOutwaitsTheDrain() throws IOException {
        Map<String, String> service = serviceSection(Files.readString(UNIT));

        assertEquals("/opt/rebound/bin/rebound run --config /etc/rebound/rebound.conf", service.get("ExecStart"));
        assertEquals("always", service.get("Restart"));
        assertEquals("78", service.get("RestartPreventExitStatus"), "an invalid config must not restart-loop");
        assertEquals("rebound", service.get("User"));
        assertEquals("CAP_NET_BIND_SERVICE", service.get("AmbientCapabilities"));
        assertEquals("mixed", service.get("KillMode"));
        assertEquals("yes", service.get("NoNewPrivileges"));
        assertEquals("strict", service.get("ProtectSystem"));
        assertEquals("yes", service.get("ProtectHome"));
        assertEquals("yes", service.get("PrivateTmp"));
        // The supervisor's default stop-timeout is drain-timeout (10 s) + 5 s; systemd must wait longer than that.
        Duration stop = seconds(service.get("TimeoutStopSec"));
        assertTrue(stop.compareTo(Duration.ofSeconds(15)) > 0, "TimeoutStopSec " + stop + " is not above 15 s");
    }

    private static CommandResult verify(Path root, Path unit) {
        return OsProcesses.run("systemd-analyze", "verify", "--root=" + root, unit.toString());
    }

    /** A root for systemd-analyze: the host's system units, the distribution at /opt/rebound, and the unit. */
    private static Path layOutRoot(Path root, String unitText) throws IOException {
        Path systemUnits = Stream.of(Path.of("/usr/lib/systemd/system"), Path.of("/lib/systemd/system"))
                .filter(Files::isDirectory).findFirst()
                .orElseThrow(() -> new IllegalStateException("no systemd units on this machine: install the "
                        + "systemd package (dev/setup-test-env.sh does)"));
        copyTree(systemUnits, root.resolve("usr/lib/systemd/system"));
        copyTree(DISTRIBUTION.resolve("bin"), root.resolve("opt/rebound/bin"));
        Files.copy(DISTRIBUTION.resolve("README.md"), root.resolve("opt/rebound/README.md"));
        Path unit = Files.createDirectories(root.resolve("etc/systemd/system")).resolve("rebound.service");
        Files.writeString(unit, unitText);
        return unit;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.collect(Collectors.toList())) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else if (Files.isSymbolicLink(source)) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(source));
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static Map<String, String> serviceSection(String unitText) {
        String section = unitText.substring(unitText.indexOf("[Service]"), unitText.indexOf("[Install]"));
        return section.lines().map(String::strip)
                .filter(line -> !line.startsWith("#") && line.contains("="))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
                        line -> line.substring(line.indexOf('=') + 1), (a, b) -> b));
    }

    private static Duration seconds(String systemdTime) {
        Matcher matcher = Pattern.compile("(\\d+)s?").matcher(systemdTime == null ? "" : systemdTime);
        assertTrue(matcher.matches(), "TimeoutStopSec: " + systemdTime + " (expected: seconds such as 45s)");
        return Duration.ofSeconds(Long.parseLong(matcher.group(1)));
    }
}

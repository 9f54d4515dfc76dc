package io.rebound.supervisor;

import io.rebound.config.ConfigFiles;
import java.util.ArrayList;
import java.util.List;

/** Configurations and command lines for supervising a {@link StandInChild}. */
public final class StandIn {

    private StandIn() {
    }

    /** The stand-in child serving its health endpoints on {@code adminPort}, misbehaving as {@code args} say. */
    public static ChildCommand command(int adminPort, String... args) {
        List<String> childArgs = new ArrayList<>(List.of("--admin-port", Integer.toString(adminPort)));
        childArgs.addAll(List.of(args));
        // Start-up speed over throughput, as for any short-lived test JVM.
        return ChildCommand.javaMain(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Xmx64m"), StandInChild.class.getName(), childArgs);
    }

    /**
     * A configuration with short test timings: the child's admin on {@code childPort}, the supervisor's on
     * {@code supervisorPort}, then {@code overrides} (HOCON, later keys win).
     */
    public static String hocon(int childPort, int supervisorPort, String overrides) {
        return String.join("\n",
                "rebound.admin.bind = \"127.0.0.1:" + childPort + "\"",
                "rebound.drain-timeout = 500ms",
                "rebound.supervisor {",
                "  admin.bind = \"127.0.0.1:" + supervisorPort + "\"",
                "  restart-delay = 50ms",
                "  start-timeout = 15s",
                "  stop-timeout = 5s",
                "  liveness { interval = 200ms, timeout = 1s, failures = 3 }",
                "}",
                overrides);
    }

    public static SupervisorSettings settings(int childPort, String overrides) {
        return SupervisorSettings.read(ConfigFiles.parse(hocon(childPort, FreePort.pick(), overrides), "test"));
    }
}

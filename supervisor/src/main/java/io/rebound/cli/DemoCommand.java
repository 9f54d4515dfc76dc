package io.rebound.cli;

import io.rebound.config.ExitCodes;
import io.rebound.demo.DemoBackends;
import io.rebound.demo.DemoMain;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code rebound demo}: three demo backends on 127.0.0.1:8081-8083 in this JVM, and the proxy, configured by the
 * class path resource {@code rebound-demo.conf}, under this supervisor.
 */
final class DemoCommand {
    private DemoCommand() {
    }

    static int run(String[] args, PrintStream err) {
        if (args.length != 0) {
            return Main.usage(err, "demo: takes no arguments");
        }
        Path config;
        try {
            config = DemoMain.demoConfigFile();
        } catch (IOException e) {
            err.println("rebound demo: cannot write the demo configuration: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        DemoBackends backends;
        try {
            backends = DemoBackends.start(DemoMain.BACKEND_HOST, DemoMain.FIRST_BACKEND_PORT, DemoMain.BACKEND_COUNT);
        } catch (RuntimeException e) {
            deleteQuietly(config);
            err.println("rebound demo: cannot start the demo backends: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        try {
            return RunCommand.superviseProxy(config, err);
        } finally {
            closeQuietly(backends, err);
            deleteQuietly(config);
        }
    }

    private static void closeQuietly(DemoBackends backends, PrintStream err) {
        try {
            backends.close();
        } catch (Exception e) {
            err.println("rebound demo: stopping the demo backends: " + e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file; the OS cleans up
        }
    }
}

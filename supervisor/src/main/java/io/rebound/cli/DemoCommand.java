package io.rebound.cli;

import io.rebound.config.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code rebound demo}: three demo backends on 127.0.0.1:8081-8083 in this JVM, and the proxy, configured by the
 * class path resource {@code rebound-demo.conf}, under this supervisor.
 */
final class DemoCommand {
    static final String DEMO_CONFIG = "rebound-demo.conf";

    private DemoCommand() {
    }

    static int run(String[] args, PrintStream err) {
        if (args.length != 0) {
            return Main.usage(err, "demo: takes no arguments");
        }
        Path config;
        try {
            config = copyDemoConfig();
        } catch (IOException e) {
            err.println("rebound demo: cannot write the demo configuration: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        AutoCloseable backends;
        try {
            backends = LbCore.startDemoBackends("127.0.0.1", 8081, 3);
        } catch (LbCore.Missing | RuntimeException e) {
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

    private static void closeQuietly(AutoCloseable backends, PrintStream err) {
        try {
            backends.close();
        } catch (Exception e) {
            err.println("rebound demo: stopping the demo backends: " + e);
        }
    }

    private static Path copyDemoConfig() throws IOException {
        try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(DEMO_CONFIG)) {
            if (in == null) {
                throw new IOException(DEMO_CONFIG + " is not on the class path");
            }
            Path file = Files.createTempFile("rebound-demo-", ".conf");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
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

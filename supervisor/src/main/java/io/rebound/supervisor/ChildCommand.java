package io.rebound.supervisor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child process. {@link #proxy} is what {@code rebound run} executes; tests execute stand-in
 * programs through {@link #javaMain} with the same JVM and class path.
 */
public record ChildCommand(List<String> command) {
    /** The proxy's entry point, as the design fixes it ({@code pgrep -f io.rebound.proxy.ProxyMain} finds it). */
    public static final String PROXY_MAIN_CLASS = "io.rebound.proxy.ProxyMain";

    public ChildCommand {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command: [] (expected: a program and its arguments)");
        }
    }

    /**
     * {@code <this java> <jvmOptions> -Drebound.role=proxy -cp <this class path> io.rebound.proxy.ProxyMain
     * --config FILE --supervised}.
     */
    public static ChildCommand proxy(List<String> jvmOptions, Path configFile) {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Drebound.role=proxy");
        return javaMain(options, PROXY_MAIN_CLASS,
                List.of("--config", configFile.toAbsolutePath().toString(), "--supervised"));
    }

    /** A Java main class run by the JVM that runs this process, with this process's class path. */
    public static ChildCommand javaMain(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return new ChildCommand(command);
    }
}

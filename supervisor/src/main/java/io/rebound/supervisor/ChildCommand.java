package io.rebound.supervisor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The command line of a child process and what its standard input is. {@link #proxy} is what {@code rebound run}
 * executes; tests execute stand-in programs through {@link #javaMain} with the same JVM and class path.
 */
public record ChildCommand(List<String> command, Path directory, ChildInput input) {
    /** The proxy's entry point, as the design fixes it ({@code pgrep -f io.rebound.proxy.ProxyMain} finds it). */
    public static final String PROXY_MAIN_CLASS = "io.rebound.proxy.ProxyMain";

    public ChildCommand {
        command = List.copyOf(command);
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(input, "input");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command: [] (expected: a program and its arguments)");
        }
    }

    /**
     * {@code <this java> <jvmOptions> [class-data options] -Drebound.role=proxy -cp <this class path>
     * io.rebound.proxy.ProxyMain --config FILE --supervised} with a {@link ChildInput#PIPE}, or with
     * {@code --supervised-by <this pid>} instead of {@code --supervised} on the {@link ChildInput#SHARED_LISTENER}.
     * The child inherits this process's {@code rebound.home} and {@code logback.configurationFile}, so an operator's
     * logging configuration applies to both processes, and in the distribution gets a class-data archive for this JVM
     * ({@link ClassDataArchive}).
     */
    public static ChildCommand proxy(List<String> jvmOptions, Path configFile, ChildInput input) {
        return proxy(jvmOptions, configFile, System.getProperty("rebound.home"),
                System.getProperty("logback.configurationFile"), input);
    }

    /**
     * As {@link #proxy(List, Path, ChildInput)} with the distribution's home and logging configuration given (either
     * null).
     */
    static ChildCommand proxy(List<String> jvmOptions, Path configFile, String home, String logback,
            ChildInput input) {
        List<String> options = new ArrayList<>(jvmOptions);
        if (logback != null) {
            options.add("-Dlogback.configurationFile=" + Path.of(logback).toAbsolutePath());
        }
        List<String> args = new ArrayList<>(List.of("--config", configFile.toAbsolutePath().toString()));
        if (input == ChildInput.PIPE) {
            args.add("--supervised");
        } else {
            args.addAll(List.of("--supervised-by", Long.toString(ProcessHandle.current().pid())));
        }
        if (home == null) {
            options.add("-Drebound.role=proxy");
            return javaMain(options, System.getProperty("java.class.path"), Path.of("").toAbsolutePath(),
                    PROXY_MAIN_CLASS, args, input);
        }
        // In the distribution: run from its directory with the relative class path the archive was made with.
        Path distribution = Path.of(home).toAbsolutePath();
        options.add("-Drebound.home=" + distribution);
        options.addAll(ClassDataArchive.optionsForThisJvm(distribution));
        options.add("-Drebound.role=proxy");
        return javaMain(options, "lib/*", distribution, PROXY_MAIN_CLASS, args, input);
    }

    /** This command with {@code arguments} appended. */
    public ChildCommand withArguments(String... arguments) {
        List<String> longer = new ArrayList<>(command);
        longer.addAll(List.of(arguments));
        return new ChildCommand(longer, directory, input);
    }

    /**
     * A Java main class run by the JVM that runs this process, with this process's class path, on a
     * {@link ChildInput#PIPE}.
     */
    public static ChildCommand javaMain(List<String> jvmOptions, String mainClass, List<String> args) {
        return javaMain(jvmOptions, System.getProperty("java.class.path"), Path.of("").toAbsolutePath(), mainClass,
                args, ChildInput.PIPE);
    }

    private static ChildCommand javaMain(List<String> jvmOptions, String classPath, Path directory, String mainClass,
            List<String> args, ChildInput input) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        return new ChildCommand(command, directory, input);
    }
}

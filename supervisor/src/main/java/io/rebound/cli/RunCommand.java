package io.rebound.cli;

import io.rebound.config.ConfigException;
import io.rebound.config.ExitCodes;
import io.rebound.supervisor.ChildCommand;
import io.rebound.supervisor.ChildInput;
import io.rebound.supervisor.ListenerMode;
import io.rebound.supervisor.ListenerMode.Cause;
import io.rebound.supervisor.SharedListener;
import io.rebound.supervisor.SupervisorSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code rebound run --config FILE}: the supervisor, keeping the proxy running until SIGTERM or SIGINT. */
final class RunCommand {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    private RunCommand() {
    }

    static int run(String[] args, PrintStream err) {
        Optional<Path> file;
        try {
            file = ConfigOption.parse(args);
        } catch (IllegalArgumentException e) {
            return Main.usage(err, "run: " + e.getMessage());
        }
        if (file.isEmpty()) {
            return Main.usage(err, "run: --config FILE is required");
        }
        return superviseProxy(file.get(), err);
    }

    /**
     * Supervises the proxy with the configuration {@code file}; also what {@code demo} does. Both parts of the file are
     * validated first, so a bad proxy setting ends {@code run} with 78 at once instead of a child that fails.
     */
    static int superviseProxy(Path file, PrintStream err) {
        WholeConfig.Checked checked = WholeConfig.check(file);
        if (!checked.problems().isEmpty()) {
            err.println("rebound: invalid configuration " + file + ": "
                    + new ConfigException(checked.problems()).getMessage());
            return ExitCodes.CONFIG;
        }
        SupervisorSettings settings = checked.settings().orElseThrow();
        ListenerMode listener;
        try {
            listener = listenerMode(settings);
        } catch (IOException e) {
            err.println("rebound: " + e.getMessage() + "; is another proxy running?");
            return ExitCodes.FAILURE;
        }
        ChildInput input = listener.shared() ? ChildInput.SHARED_LISTENER : ChildInput.PIPE;
        ChildCommand child = ChildCommand.proxy(settings.child().jvmOptions(), file, input)
                .withArguments("--runtime-state", settings.stateFile().toString());
        return Supervise.untilStopped(settings, child, listener, file,
                checked.proxy().orElseThrow().backend().servers(), err);
    }

    /**
     * Where the children get the traffic socket: the listening socket this process was started with (socket
     * activation), else the one it binds now (share-listener), else their own bind of rebound.bind.
     *
     * @throws IOException when rebound.bind cannot be bound
     */
    private static ListenerMode listenerMode(SupervisorSettings settings) throws IOException {
        Optional<SharedListener> inherited = SharedListener.inherited();
        if (inherited.isPresent()) {
            log.info("Supervisor was started with the listening socket {} on its standard input (socket activation): "
                    + "each proxy serves it, and rebound.bind ({}) is not bound", inherited.get().address(),
                    settings.listener().bind());
            return new ListenerMode(true, Cause.SOCKET_ACTIVATION, "socket " + inherited.get().address()
                    + " passed by systemd (socket activation)");
        }
        if (!settings.listener().share()) {
            return new ListenerMode(false, Cause.SHARE_LISTENER_OFF, "rebound.supervisor.share-listener = off: "
                    + "each proxy binds " + settings.listener().bind() + " itself; connections are refused while none runs");
        }
        try {
            SharedListener listener = SharedListener.bind(settings.listener().bind());
            log.info("Supervisor listens on {} (backlog {}) for as long as it runs; each proxy serves this socket, so "
                    + "connections wait while a proxy restarts instead of being refused", listener.address(),
                    SharedListener.BACKLOG);
            return new ListenerMode(true, Cause.SUPERVISOR_BOUND, "socket " + listener.address()
                    + " bound by the supervisor; connections wait in its backlog while a proxy restarts");
        } catch (SharedListener.Unavailable e) {
            log.warn("Not sharing the listening socket: {}. Each proxy binds {} itself instead; connections are "
                    + "refused while none runs", e.getMessage(), settings.listener().bind());
            return new ListenerMode(false, Cause.JVM_REFUSED, e.getMessage() + "; each proxy binds "
                    + settings.listener().bind() + " itself, so connections are refused while none runs");
        }
    }
}

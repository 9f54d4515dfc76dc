package io.rebound.proxy;

import io.rebound.config.ConfigException;
import io.rebound.config.ConfigFiles;
import io.rebound.config.ExitCodes;
import io.rebound.config.HostPort;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code ProxyMain --config FILE [--supervised | --supervised-by PID]}: runs the proxy in this process until
 * SIGTERM/SIGINT (drain, exit 0) or until the supervisor is gone (drain at most 500 ms, exit 0).
 * {@code --supervised}: standard input is a pipe from the supervisor, its end-of-file means the supervisor is gone.
 * {@code --supervised-by PID}: standard input is the traffic listening socket the supervisor (process PID) bound and
 * keeps open across restarts of the proxy; the proxy serves it instead of binding {@code rebound.bind}, and the
 * supervisor is gone when PID stops being this process's parent. {@code --successor-admin HOST:PORT} (a reload: this
 * proxy takes over from one still running on the same socket): the admin endpoints answer there at once, and on
 * {@code rebound.admin.bind} once the previous proxy has drained and let go of it. {@code --runtime-state FILE}: the
 * supervisor's runtime state of the servers (drain, maint, weights), applied at start; later changes arrive on the
 * admin listener.
 * Exit codes: 78 invalid configuration, 64 bad command line, 1 run-time failure such as a port in use.
 */
public final class ProxyMain {
    private static final Logger log = LoggerFactory.getLogger(ProxyMain.class);
    /** design.md: a child whose supervisor is gone stops within a second; half of it goes to draining. */
    static final Duration ORPHAN_DRAIN = Duration.ofMillis(500);
    private static final String USAGE =
            "usage: ProxyMain --config FILE [--supervised | --supervised-by PID [--successor-admin HOST:PORT]]"
                    + " [--runtime-state FILE]";

    private ProxyMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the proxy and returns the exit code once it has stopped. */
    public static int run(String[] args) {
        Path config = null;
        boolean supervised = false;
        long supervisorPid = -1;
        HostPort successorAdmin = null;
        Path runtimeState = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        return usage("--config needs a FILE");
                    }
                    config = Path.of(args[++i]);
                }
                case "--supervised" -> supervised = true;
                case "--supervised-by" -> {
                    if (i + 1 >= args.length || !args[i + 1].matches("[1-9][0-9]{0,18}")) {
                        return usage("--supervised-by needs the supervisor's PID");
                    }
                    supervisorPid = Long.parseLong(args[++i]);
                }
                case "--successor-admin" -> {
                    if (i + 1 >= args.length) {
                        return usage("--successor-admin needs HOST:PORT");
                    }
                    try {
                        successorAdmin = HostPort.parse(args[++i]);
                    } catch (IllegalArgumentException e) {
                        return usage("--successor-admin '" + args[i] + "': " + e.getMessage()
                                + " (expected: HOST:PORT)");
                    }
                }
                case "--runtime-state" -> {
                    if (i + 1 >= args.length) {
                        return usage("--runtime-state needs a FILE");
                    }
                    runtimeState = Path.of(args[++i]);
                }
                default -> {
                    return usage("unknown argument '" + args[i] + "'");
                }
            }
        }
        if (config == null) {
            return usage("--config FILE is required");
        }
        if (supervised && supervisorPid > 0) {
            return usage("--supervised and --supervised-by exclude each other");
        }
        if (successorAdmin != null && supervisorPid <= 0) {
            return usage("--successor-admin goes with --supervised-by: only a proxy on the supervisor's socket takes "
                    + "over from another");
        }
        ProxySettings settings;
        try {
            settings = ProxySettingsReader.read(ConfigFiles.load(config));
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return ExitCodes.CONFIG;
        }
        return serve(settings, supervised, supervisorPid, successorAdmin, runtimeState);
    }

    private static int serve(ProxySettings settings, boolean supervised, long supervisorPid,
            HostPort successorAdmin, Path runtimeState) {
        CompletableFuture<Duration> stopRequest = new CompletableFuture<>();
        Signal.handle(new Signal("TERM"), signal -> stopRequest.complete(settings.process().drainTimeout()));
        Signal.handle(new Signal("INT"), signal -> stopRequest.complete(settings.process().drainTimeout()));
        Runnable orphaned = () -> stopRequest.complete(ORPHAN_DRAIN);
        ServerSocketChannel sharedSocket = null;
        if (supervisorPid > 0) {
            SupervisorWatch.whileParentIs(supervisorPid, orphaned);
            try {
                sharedSocket = InheritedListener.take();
            } catch (IOException e) {
                log.error("--supervised-by {}: {}", supervisorPid, e.getMessage());
                return ExitCodes.FAILURE;
            }
        } else if (supervised) {
            SupervisorWatch.untilEndOf(System.in, orphaned);
        }
        ProxyServer server;
        try {
            server = ProxyServer.start(settings, sharedSocket, successorAdmin, runtimeState);
        } catch (ListenerBindException e) {
            log.error("{}; is another proxy running?", e.getMessage());
            return ExitCodes.FAILURE;
        }
        log.info("Rebound proxy started (pid {})", ProcessHandle.current().pid());
        Duration drain = stopRequest.join();
        log.info("Stopping: no new connections, draining in-flight requests for at most {} ms", drain.toMillis());
        server.close(drain);
        log.info("Rebound proxy stopped");
        return ExitCodes.OK;
    }

    private static int usage(String problem) {
        System.err.println(problem);
        System.err.println(USAGE);
        return ExitCodes.USAGE;
    }
}

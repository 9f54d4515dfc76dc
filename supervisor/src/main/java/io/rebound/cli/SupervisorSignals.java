package io.rebound.cli;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The supervisor's signals, as nginx and HAProxy take them: SIGTERM and SIGINT stop gracefully, SIGHUP reloads.
 * Handling the stop signals (instead of letting the JVM run its shutdown hooks and exit 143) lets the supervisor stop
 * its child first and then exit 0, as systemd expects of a clean stop. sun.misc.Signal is the JDK's supported way
 * (module jdk.unsupported) to handle a signal.
 *
 * <p>A signal that was ignored when the JVM started stays ignored: the JVM installs no handler for it, and Java cannot
 * take the disposition back. {@code nohup} starts its command with SIGHUP ignored, a background job of a script with
 * SIGINT ignored. bin/rebound resets both before it starts Java; when one is ignored all the same, the log says so
 * and what to use instead, rather than the signal doing nothing in silence.
 */
final class SupervisorSignals {
    private static final Logger log = LoggerFactory.getLogger(SupervisorSignals.class);

    private SupervisorSignals() {
    }

    /**
     * Calls {@code onStop} with "SIGTERM" or "SIGINT", and {@code onReload} with "SIGHUP", when one arrives; the
     * handlers run on a JVM signal thread.
     */
    static void install(Consumer<String> onStop, Consumer<String> onReload) {
        handle("TERM", onStop, "stop the supervisor with SIGKILL and its proxy will follow");
        handle("INT", onStop, "stop the supervisor with SIGTERM");
        handle("HUP", onReload, "reload with `rebound reload`");
    }

    private static void handle(String name, Consumer<String> action, String instead) {
        SignalHandler previous = Signal.handle(new Signal(name), signal -> action.accept("SIG" + signal.getName()));
        if (previous == SignalHandler.SIG_IGN) {
            log.warn("SIG{} is ignored in this process: it was started with SIG{} ignored (as nohup does to SIGHUP "
                    + "and a background job of a script to SIGINT), and Java cannot handle it then; {}", name, name,
                    instead);
        }
    }
}

package io.rebound.cli;

import java.util.function.Consumer;

/**
 * Turns SIGTERM and SIGINT into a graceful stop. Handling the signals (instead of letting the JVM run its shutdown
 * hooks and exit 143) lets the supervisor stop its child first and then exit 0, as systemd expects of a clean stop.
 * sun.misc.Signal is the JDK's supported way (module jdk.unsupported) to handle a signal.
 */
final class StopSignals {

    private StopSignals() {
    }

    /** Calls {@code onStop} with "SIGTERM" or "SIGINT" when one arrives; the handler runs on a JVM signal thread. */
    static void install(Consumer<String> onStop) {
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> onStop.accept("SIG" + signal.getName()));
        }
    }
}

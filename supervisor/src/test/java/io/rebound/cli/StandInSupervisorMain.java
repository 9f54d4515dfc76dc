package io.rebound.cli;

import io.rebound.config.ConfigFiles;
import io.rebound.supervisor.StandIn;
import io.rebound.supervisor.ListenerMode;
import io.rebound.supervisor.ListenerMode.Cause;
import io.rebound.supervisor.SupervisorSettings;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code rebound run} as a process of its own, with a stand-in child instead of the proxy: the same
 * {@link Supervise#untilStopped} path, signals and exit code. Arguments: CONFIG_FILE [stand-in child arguments].
 */
public final class StandInSupervisorMain {

    private StandInSupervisorMain() {
    }

    public static void main(String[] args) {
        SupervisorSettings settings = SupervisorSettings.read(ConfigFiles.load(Path.of(args[0])));
        String[] childArgs = Arrays.copyOfRange(args, 1, args.length);
        System.exit(Supervise.untilStopped(settings, StandIn.command(settings.child().admin().bind().port(), childArgs),
                new ListenerMode(false, Cause.SHARE_LISTENER_OFF, "stand-in children on a pipe"), Path.of(args[0]),
                System.err));
    }
}

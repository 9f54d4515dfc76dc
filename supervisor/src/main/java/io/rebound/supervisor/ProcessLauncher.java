package io.rebound.supervisor;

import io.rebound.config.HostPort;
import java.io.IOException;
import java.util.Objects;

/** Launches {@code command} as a {@link ChildProcess} whose health endpoints answer at {@code childAdmin}. */
final class ProcessLauncher implements ChildLauncher {
    /** The proxy's option for a child started while another of ours holds {@code rebound.admin.bind}. */
    static final String SUCCESSOR_ADMIN = "--successor-admin";

    private final ChildCommand command;
    private final HostPort childAdmin;

    ProcessLauncher(ChildCommand command, HostPort childAdmin) {
        this.command = Objects.requireNonNull(command, "command");
        this.childAdmin = Objects.requireNonNull(childAdmin, "childAdmin");
    }

    @Override
    public Child launch(boolean besideAnother) throws IOException {
        if (!besideAnother) {
            return ChildProcess.start(command, childAdmin);
        }
        HostPort interim = InterimAdmin.pick();
        return ChildProcess.start(command.withArguments(SUCCESSOR_ADMIN, interim.toString()), interim);
    }

    @Override
    public boolean sharesListener() {
        return command.input() == ChildInput.SHARED_LISTENER;
    }

    @Override
    public String toString() {
        return String.join(" ", command.command());
    }
}

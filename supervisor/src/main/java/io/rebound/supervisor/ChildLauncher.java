package io.rebound.supervisor;

import java.io.IOException;

/** Starts proxy children: the one place the supervisor's decisions turn into processes. */
interface ChildLauncher {

    /**
     * Starts a child. With {@code besideAnother} another child of ours holds {@code rebound.admin.bind}, so the new one
     * answers its health endpoints on an interim address until it can take the configured one.
     *
     * @throws IOException when the program cannot be executed
     */
    Child launch(boolean besideAnother) throws IOException;

    /**
     * Whether the children serve the supervisor's listening socket: only then can two of them serve at once (a reload,
     * a standby).
     */
    boolean sharesListener();
}

package io.rebound.cli;

import io.rebound.balance.ServerSettings;
import io.rebound.config.ExitCodes;
import io.rebound.supervisor.ChildCommand;
import io.rebound.supervisor.ListenerMode;
import io.rebound.supervisor.Supervisor;
import io.rebound.supervisor.SupervisorSettings;
import io.rebound.supervisor.VrrpRole;
import io.rebound.supervisor.admin.StatusPage;
import io.rebound.supervisor.admin.SupervisorAdmin;
import io.rebound.supervisor.history.TrafficHistory;
import io.rebound.supervisor.history.TrafficSampler;
import io.rebound.supervisor.runtime.ChildProxies;
import io.rebound.supervisor.runtime.ServerControl;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a supervisor in this process until SIGTERM or SIGINT: its admin listener, its child, the graceful stop. Shared
 * by {@code rebound run} and {@code rebound demo}.
 */
public final class Supervise {
    private static final Logger log = LoggerFactory.getLogger(Supervise.class);

    private Supervise() {
    }

    /**
     * Supervises {@code child}, whose traffic socket is shared with it or not as {@code listener} says, started with the configuration {@code configFile} (which a reload reads anew).
     *
     * @return {@link ExitCodes#OK} after a graceful stop, {@link ExitCodes#FAILURE} when the admin address cannot be
     *     bound
     */
    public static int untilStopped(SupervisorSettings settings, ChildCommand child, ListenerMode listener,
            Path configFile, PrintStream err) {
        return untilStopped(settings, child, listener, configFile, List.of(), err);
    }

    /**
     * As {@link #untilStopped(SupervisorSettings, ChildCommand, ListenerMode, Path, PrintStream)}, holding the
     * runtime state of {@code servers} (the configured ones) in {@code rebound.supervisor.state-file}.
     */
    public static int untilStopped(SupervisorSettings settings, ChildCommand child, ListenerMode listener,
            Path configFile, List<ServerSettings> servers, PrintStream err) {
        Supervisor supervisor = new Supervisor(settings, child, listener);
        ChildProxies proxies = new ChildProxies(settings.child().admin().token());
        ServerControl control = ServerControl.open(settings.stateFile(), servers, supervisor::childAdmins, proxies);
        TrafficHistory traffic = new TrafficHistory(settings.statusPage().samples());
        StatusPage page = settings.statusPage().enabled() ? new StatusPage(traffic, supervisor.events()) : null;
        ConfigReload reload = new ConfigReload(configFile, settings, supervisor, control);
        // From here on SIGTERM/SIGINT mean a graceful stop with exit 0, even before the first child starts. SIGHUP
        // reloads, as `kill -HUP $MAINPID` in a unit's ExecReload expects; the outcome goes to the log.
        SupervisorSignals.install(signal -> supervisor.stop(signal + " received"),
                signal -> reload.reload(signal + " received"));
        SupervisorAdmin admin;
        try {
            admin = SupervisorAdmin.start(settings.admin().bind(), settings.admin().token(), supervisor,
                    reload::reload, new VrrpRole(), control, page);
        } catch (IllegalStateException e) {
            err.println("rebound: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        // Samples only for the page: with it off, the proxies are not asked (a null resource is not closed).
        try (admin; TrafficSampler sampler = page == null ? null
                : TrafficSampler.start(supervisor::childAdmins, proxies, traffic)) {
            log.info("Supervisor pid {} started; admin on {}{}", ProcessHandle.current().pid(), admin.address(),
                    page == null ? "" : " (status page: http://" + admin.address().getHostString() + ":"
                            + admin.address().getPort() + "/)");
            supervisor.start();
            supervisor.stopped().join();
        }
        log.info("Supervisor stopped");
        return ExitCodes.OK;
    }
}

package io.rebound.cli;

import com.typesafe.config.Config;
import io.rebound.config.HostPort;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The text of {@code rebound status}, laid out as {@code systemctl status} lays out a unit:
 * <pre>
 * ● rebound supervisor (pid 4100, admin 127.0.0.1:8405)
 *      Active: active (running) since Wed 2026-11-25 17:05:01 UTC; 42s ago
 *    Main PID: 4242
 *    Restarts: 1 (exit-code 0, signal 1, liveness 0, not-ready 0)
 *   Last exit: pid 4200, signal 9 (KILL)
 *  Crash loop: no
 *     Standby: pid 4300 (ready, serving)
 *     Reloads: 1 (draining: pid 4242)
 *   Listener: shared (the supervisor's listening socket)
 *    Servers: not ready: apache2 drain (rebound servers)
 *       VRRP: MASTER since Wed 2026-11-25 17:06:11 UTC; 12s ago
 * </pre>
 * The VRRP line appears once keepalived told the supervisor its state ({@code rebound vrrp-notify}).
 */
final class StatusSummary {
    private static final DateTimeFormatter SINCE =
            DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss zzz", Locale.ROOT);
    private static final String[] REASONS = {"exit-code", "signal", "liveness", "not-ready"};

    private StatusSummary() {
    }

    static String render(Config status, HostPort admin, long nowEpochMillis, ZoneId zone) {
        long since = status.getLong("since");
        long agoSeconds = Math.max(0, (nowEpochMillis - since) / 1000);
        StringBuilder text = new StringBuilder();
        text.append("● rebound supervisor (pid ").append(status.getLong("supervisorPid")).append(", admin ")
                .append(admin).append(")\n");
        text.append("     Active: ").append(status.getString("activeState")).append(" since ")
                .append(SINCE.format(Instant.ofEpochMilli(since).atZone(zone)))
                .append("; ").append(agoSeconds).append("s ago\n");
        text.append("   Main PID: ").append(mainPid(status)).append('\n');
        text.append("   Restarts: ").append(status.getLong("restarts")).append(" (");
        for (int i = 0; i < REASONS.length; i++) {
            text.append(i == 0 ? "" : ", ").append(REASONS[i]).append(' ')
                    .append(status.getLong("restartsByReason.\"" + REASONS[i] + "\""));
        }
        text.append(")\n");
        if (!status.getIsNull("lastExit")) {
            text.append("  Last exit: pid ").append(status.getLong("lastExit.pid")).append(", ")
                    .append(status.getString("lastExit.description")).append('\n');
        }
        if (!status.getIsNull("nextRestartDelayMs")) {
            text.append(" Next start: in ").append(status.getLong("nextRestartDelayMs")).append("ms\n");
        }
        text.append(" Crash loop: ").append(status.getBoolean("crashLooping")
                ? "yes, restarts are delayed more and more" : "no").append('\n');
        if (status.hasPath("standbyPid") && !status.getIsNull("standbyPid")) {
            text.append("    Standby: pid ").append(status.getLong("standbyPid"))
                    .append(status.getBoolean("standbyReady") ? " (ready, serving)" : " (starting)").append('\n');
        }
        if (status.hasPath("reloads")) {
            List<Number> draining = status.getNumberList("drainingPids");
            text.append("    Reloads: ").append(status.getLong("reloads"));
            if (!draining.isEmpty()) {
                text.append(" (draining: pid ").append(draining.stream().map(pid -> Long.toString(pid.longValue()))
                        .collect(Collectors.joining(", "))).append(')');
            }
            text.append('\n');
        }
        if (status.hasPath("listener")) {
            text.append("   Listener: ").append(status.getBoolean("listener.shared") ? "shared" : "not shared")
                    .append(" (").append(status.getString("listener.detail")).append(")\n");
        }
        if (status.hasPath("serversNotReady")) {
            String notReady = status.getString("serversNotReady");
            text.append("    Servers: ").append(notReady.isEmpty() ? "all ready" : "not ready: " + notReady
                    + " (rebound servers)").append('\n');
        }
        if (status.hasPath("vrrp") && !status.getIsNull("vrrp")) {
            long vrrpSince = status.getLong("vrrp.since");
            text.append("       VRRP: ").append(status.getString("vrrp.state")).append(" since ")
                    .append(SINCE.format(Instant.ofEpochMilli(vrrpSince).atZone(zone))).append("; ")
                    .append(Math.max(0, (nowEpochMillis - vrrpSince) / 1000)).append("s ago\n");
        }
        return text.toString();
    }

    /** The running child's pid, or, as systemctl shows it, the last one with how it ended. */
    private static String mainPid(Config status) {
        if (!status.getIsNull("childPid")) {
            return Long.toString(status.getLong("childPid"));
        }
        if (status.getIsNull("lastExit")) {
            return "none";
        }
        String ended = status.getIsNull("lastExit.signal")
                ? "code=exited, status=" + status.getLong("lastExit.exitValue")
                : "code=killed, signal=" + status.getLong("lastExit.signal");
        return status.getLong("lastExit.pid") + " (" + ended + ")";
    }
}

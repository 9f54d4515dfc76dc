package io.rebound.supervisor.admin;

import static io.rebound.admin.JsonText.quote;

import io.rebound.admin.JsonText;
import io.rebound.supervisor.ChildExit;
import io.rebound.supervisor.RestartReason;
import io.rebound.supervisor.SupervisorStatus;
import io.rebound.supervisor.VrrpRole;
import java.time.Instant;
import java.util.Optional;

/**
 * Renders a {@link SupervisorStatus} as the JSON of {@code /status}. Field names are the contract with
 * {@code rebound status}: {@code state}, {@code activeState}, {@code since}, {@code sinceIso}, {@code childPid},
 * {@code childStartedAt}, {@code restarts}, {@code restartsByReason}, {@code lastExit}, {@code nextRestartDelayMs},
 * {@code crashLooping}, {@code reloads}, {@code drainingPids}, {@code standbyPid}, {@code standbyReady},
 * {@code listener} ({@code shared}, {@code cause}, {@code detail}), {@code vrrp} ({@code state}, {@code since},
 * {@code sinceIso}; null until keepalived told a state), {@code serversNotReady} (the servers the operator took out,
 * as "apache2 drain, apache3 maint", "" when none; null without runtime control), {@code supervisorPid}. Absent values
 * are {@code null}.
 */
final class StatusJson {

    private StatusJson() {
    }

    static String render(SupervisorStatus status, Optional<VrrpRole.Reported> vrrp, Optional<String> serversNotReady,
            long supervisorPid) {
        StringBuilder json = new StringBuilder(512).append('{');
        field(json, "state", quote(status.state().name())).append(',');
        field(json, "activeState", quote(status.state().activeState())).append(',');
        field(json, "since", Long.toString(status.sinceEpochMillis())).append(',');
        field(json, "sinceIso", quote(Instant.ofEpochMilli(status.sinceEpochMillis()).toString())).append(',');
        field(json, "childPid", status.childPid().isPresent()
                ? Long.toString(status.childPid().getAsLong()) : "null").append(',');
        field(json, "childStartedAt", status.childStartedEpochMillis().isPresent()
                ? Long.toString(status.childStartedEpochMillis().getAsLong()) : "null").append(',');
        field(json, "restarts", Long.toString(status.restartsTotal())).append(',');
        json.append("\"restartsByReason\":{");
        RestartReason[] reasons = RestartReason.values();
        for (int i = 0; i < reasons.length; i++) {
            field(json, reasons[i].label(), Long.toString(status.restarts().get(reasons[i])));
            json.append(i + 1 < reasons.length ? "," : "");
        }
        json.append("},");
        field(json, "lastExit", status.lastExit().map(StatusJson::exit).orElse("null")).append(',');
        field(json, "nextRestartDelayMs", status.nextRestartDelay()
                .map(delay -> Long.toString(delay.toMillis())).orElse("null")).append(',');
        field(json, "crashLooping", Boolean.toString(status.crashLooping())).append(',');
        field(json, "reloads", Long.toString(status.reloads())).append(',');
        field(json, "drainingPids", status.drainingPids().toString().replace(" ", "")).append(',');
        field(json, "standbyPid", status.standbyPid().isPresent()
                ? Long.toString(status.standbyPid().getAsLong()) : "null").append(',');
        field(json, "standbyReady", Boolean.toString(status.standbyReady())).append(',');
        field(json, "listener", "{\"shared\":" + status.listener().shared() + ",\"cause\":"
                + quote(status.listener().cause().label()) + ",\"detail\":" + quote(status.listener().detail()) + "}")
                .append(',');
        field(json, "vrrp", vrrp.map(role -> "{\"state\":" + quote(role.state().name()) + ",\"since\":"
                + role.sinceEpochMillis() + ",\"sinceIso\":" + quote(Instant.ofEpochMilli(role.sinceEpochMillis())
                .toString()) + "}").orElse("null")).append(',');
        field(json, "serversNotReady", serversNotReady.map(JsonText::quote).orElse("null")).append(',');
        field(json, "supervisorPid", Long.toString(supervisorPid));
        return json.append('}').toString();
    }

    private static String exit(ChildExit exit) {
        return "{\"pid\":" + exit.pid()
                + ",\"exitValue\":" + exit.exitValue()
                + ",\"signal\":" + (exit.bySignal() ? Integer.toString(exit.signal()) : "null")
                + ",\"description\":" + quote(exit.describe())
                + ",\"at\":" + exit.epochMillis() + "}";
    }

    private static StringBuilder field(StringBuilder json, String name, String rawValue) {
        return json.append(quote(name)).append(':').append(rawValue);
    }
}

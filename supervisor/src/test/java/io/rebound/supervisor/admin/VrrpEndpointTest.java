package io.rebound.supervisor.admin;

import static io.rebound.supervisor.admin.RawAdminRequest.body;
import static io.rebound.supervisor.admin.RawAdminRequest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.rebound.admin.AdminToken;
import io.rebound.config.HostPort;
import io.rebound.supervisor.FreePort;
import io.rebound.supervisor.ReloadOutcome;
import io.rebound.supervisor.StandIn;
import io.rebound.supervisor.Supervisor;
import io.rebound.supervisor.VrrpRole;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /vrrp} of the supervisor's admin listener over real sockets: the state keepalived told is shown in
 * {@code /status} and {@code /metrics}; a bad state, a foreign origin or a missing token change nothing.
 */
class VrrpEndpointTest {
    private static final long TOLD_AT = 1_764_000_000_000L;

    private final AtomicLong clock = new AtomicLong(TOLD_AT);
    private final VrrpRole vrrp = new VrrpRole(clock::get);
    private SupervisorAdmin admin;
    private int port;

    @AfterEach
    void closeTheListener() {
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void beforeKeepalivedTellsAState_statusHasVrrpNull_andEveryStateMetricIs0() throws Exception {
        start(Optional.empty());

        Config status = json(body(raw(get("/status"))));
        String metrics = body(raw(get("/metrics")));

        assertTrue(status.getIsNull("vrrp"), status.root().render());
        for (VrrpRole.State state : VrrpRole.State.values()) {
            assertEquals(0.0, sample(metrics, state), state.name());
        }
    }

    @Test
    void aPostOfMaster_isShownInStatusWithItsTime_andAsTheOneStateMetricAt1() throws Exception {
        start(Optional.empty());

        String told = raw(post("MASTER\n", ""));
        Config status = json(body(raw(get("/status"))));
        String metrics = body(raw(get("/metrics")));

        assertTrue(told.startsWith("HTTP/1.1 200 "), told);
        assertEquals("MASTER", status.getString("vrrp.state"));
        assertEquals(TOLD_AT, status.getLong("vrrp.since"));
        assertEquals("2025-11-24T16:00:00Z", status.getString("vrrp.sinceIso"));
        assertEquals(1.0, sample(metrics, VrrpRole.State.MASTER));
        assertEquals(0.0, sample(metrics, VrrpRole.State.BACKUP));
        assertEquals(0.0, sample(metrics, VrrpRole.State.FAULT));
        assertEquals(0.0, sample(metrics, VrrpRole.State.STOP));
    }

    @Test
    void aBadState_is400NamingTheStatesExpected_andChangesNothing() throws Exception {
        start(Optional.empty());
        raw(post("BACKUP", ""));
        clock.addAndGet(5_000);

        for (String bad : List.of("LEADER", "", "MASTER MASTER", "M".repeat(200))) {
            String response = raw(post(bad, ""));
            assertTrue(response.startsWith("HTTP/1.1 400 "), bad + ": " + response);
            assertTrue(body(response).contains("expected: MASTER, BACKUP, FAULT or STOP"), response);
        }

        assertEquals(Optional.of(new VrrpRole.Reported(VrrpRole.State.BACKUP, TOLD_AT)), vrrp.current());
        assertEquals(1.0, sample(body(raw(get("/metrics"))), VrrpRole.State.BACKUP));
    }

    @Test
    void aPostFromAForeignOrigin_is403_andChangesNothing() throws Exception {
        start(Optional.empty());

        String foreign = raw(post("MASTER", "Origin: http://evil.example\r\n"));
        String crossSite = raw(post("MASTER", "Sec-Fetch-Site: cross-site\r\n"));

        assertTrue(foreign.startsWith("HTTP/1.1 403 "), foreign);
        assertTrue(crossSite.startsWith("HTTP/1.1 403 "), crossSite);
        assertEquals(Optional.empty(), vrrp.current());
    }

    @Test
    void withAToken_aPostWithoutIt_is401_andOneWithIt_isTold() throws Exception {
        start(Optional.of(AdminToken.of("s3cret")));

        String without = raw(post("FAULT", ""));
        assertTrue(without.startsWith("HTTP/1.1 401 "), without);
        assertEquals(Optional.empty(), vrrp.current());

        String with = raw(post("FAULT", "Authorization: Bearer s3cret\r\n"));
        assertTrue(with.startsWith("HTTP/1.1 200 "), with);
        assertEquals(VrrpRole.State.FAULT, vrrp.current().orElseThrow().state());
    }

    @Test
    void tellingTheSameStateAgain_keepsItsTime_andANewStateGetsTheTimeItWasTold() throws Exception {
        start(Optional.empty());
        raw(post("BACKUP", ""));
        clock.addAndGet(1_000);
        raw(post("BACKUP", ""));
        assertEquals(TOLD_AT, vrrp.current().orElseThrow().sinceEpochMillis());

        clock.addAndGet(1_000);
        raw(post("MASTER", ""));
        assertEquals(new VrrpRole.Reported(VrrpRole.State.MASTER, TOLD_AT + 2_000), vrrp.current().orElseThrow());
    }

    @Test
    void aReportOlderThanTheCurrentState_isKeptOut_soNotifiesArrivingOutOfOrderLeaveTheLatestState() throws Exception {
        start(Optional.empty());
        String master = raw(post("MASTER", "", "?at=" + (TOLD_AT + 2_000)));
        String olderBackup = raw(post("BACKUP", "", "?at=" + (TOLD_AT + 1_000)));
        String badTime = raw(post("FAULT", "", "?at=yesterday"));

        assertTrue(master.startsWith("HTTP/1.1 200 "), master);
        assertTrue(olderBackup.startsWith("HTTP/1.1 200 ") && body(olderBackup).startsWith("VRRP MASTER"),
                olderBackup);
        assertTrue(badTime.startsWith("HTTP/1.1 400 "), badTime);
        assertEquals(new VrrpRole.Reported(VrrpRole.State.MASTER, TOLD_AT + 2_000), vrrp.current().orElseThrow());
    }

    private void start(Optional<AdminToken> token) {
        int childPort = FreePort.pick();
        Supervisor supervisor = new Supervisor(StandIn.settings(childPort, ""), StandIn.command(childPort));
        admin = SupervisorAdmin.start(new HostPort("127.0.0.1", FreePort.pick()), token, supervisor,
                reason -> CompletableFuture.completedFuture(ReloadOutcome.refused("not in this test")), vrrp);
        port = admin.address().getPort();
    }

    private String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n";
    }

    private String post(String body, String header) {
        return post(body, header, "");
    }

    private String post(String body, String header, String query) {
        return "POST /vrrp" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + header + "Content-Length: "
                + body.length() + "\r\n\r\n" + body;
    }

    private String raw(String request) throws IOException {
        return RawAdminRequest.send(port, request);
    }

    private static double sample(String metrics, VrrpRole.State state) {
        String name = "rebound_supervisor_vrrp_state{state=\"" + state.name() + "\"}";
        Matcher line = Pattern.compile("^" + Pattern.quote(name) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        assertTrue(line.find(), "a sample " + name + " in:\n" + metrics);
        return Double.parseDouble(line.group(1));
    }
}

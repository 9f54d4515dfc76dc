package io.rebound.supervisor.admin;

import static io.rebound.supervisor.admin.RawAdminRequest.body;
import static io.rebound.supervisor.admin.RawAdminRequest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.rebound.admin.AdminToken;
import io.rebound.balance.ServerSettings;
import io.rebound.balance.ServerState;
import io.rebound.config.HostPort;
import io.rebound.runtime.RuntimeState;
import io.rebound.runtime.RuntimeStateFile;
import io.rebound.supervisor.FreePort;
import io.rebound.supervisor.ReloadOutcome;
import io.rebound.supervisor.StandIn;
import io.rebound.supervisor.Supervisor;
import io.rebound.supervisor.VrrpRole;
import io.rebound.supervisor.runtime.ChildProxies;
import io.rebound.supervisor.runtime.ServerControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor's runtime server control over real sockets: a change is written to the state file and shown by
 * {@code GET /servers}; bad input, another method, a foreign origin or a missing token are refused and change nothing.
 */
class ServerEndpointsTest {
    private static final List<ServerSettings> SERVERS = List.of(
            new ServerSettings("apache1", HostPort.parse("127.0.0.1:8081"), 1, true),
            new ServerSettings("apache2", HostPort.parse("127.0.0.1:8082"), 2, true));

    @TempDir
    Path dir;
    private Path stateFile;
    private ServerControl control;
    private SupervisorAdmin admin;
    private int port;

    @AfterEach
    void closeTheListener() {
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void drain_isWrittenToTheStateFile_andShownByGetServers() throws Exception {
        start(Optional.empty());

        String drained = raw(post("/servers/apache2/state", "drain\n", ""));
        String weighted = raw(post("/servers/apache1/weight", "50", ""));
        Config servers = json(body(raw(get("/servers"))));

        assertTrue(drained.startsWith("HTTP/1.1 200 "), drained);
        assertEquals("ready", json(body(drained)).getString("before"));
        assertEquals("drain", json(body(drained)).getString("after"));
        assertTrue(weighted.startsWith("HTTP/1.1 200 "), weighted);
        assertEquals(2, servers.getLong("generation"));
        assertEquals(stateFile.toString(), servers.getString("stateFile"));
        Config apache1 = servers.getConfigList("servers").get(0);
        Config apache2 = servers.getConfigList("servers").get(1);
        assertEquals(List.of("apache1", 50, 1, "ready"), List.of(apache1.getString("name"), apache1.getInt("weight"),
                apache1.getInt("configuredWeight"), apache1.getString("state")));
        assertEquals(List.of("apache2", 2, "drain"), List.of(apache2.getString("name"), apache2.getInt("weight"),
                apache2.getString("state")));
        assertTrue(apache2.getIsNull("status") && apache2.getIsNull("inFlight"), "no proxy runs in this test");
        RuntimeState onDisk = RuntimeStateFile.read(stateFile).orElseThrow();
        assertEquals(ServerState.DRAIN, onDisk.of("apache2").state());
        assertEquals(OptionalInt.of(50), onDisk.of("apache1").weight());
    }

    @Test
    void badInput_isRefusedWithAJsonError_andChangesNothing() throws Exception {
        start(Optional.empty());
        raw(post("/servers/apache2/state", "maint", ""));
        String before = Files.readString(stateFile);

        assertRefused(post("/servers/apache9/state", "drain", ""), 404, "server: 'apache9' (expected: one of apache1, apache2)");
        assertRefused(post("/servers/apache9/weight", "5", ""), 404, "server: 'apache9'");
        assertRefused(post("/servers/apache2/state", "down", ""), 400, "state: 'down' (expected: ready, drain or maint)");
        assertRefused(post("/servers/apache2/state", "", ""), 400, "expected: ready, drain or maint");
        assertRefused(post("/servers/apache2/state", "d".repeat(200), ""), 400, "expected: ready, drain or maint");
        for (String weight : List.of("0", "257", "-1", "abc", "", "1.5", "9".repeat(40))) {
            assertRefused(post("/servers/apache2/weight", weight, ""), 400, "(expected: 1-256)");
        }
        String getAChange = raw(get("/servers/apache2/state"));

        assertTrue(getAChange.startsWith("HTTP/1.1 405 "), getAChange);
        assertEquals(before, Files.readString(stateFile));
        assertEquals(1, control.state().generation());
    }

    @Test
    void aChangeFromAForeignOrigin_is403_andOneWithoutTheToken_is401_bothChangingNothing() throws Exception {
        start(Optional.of(AdminToken.of("s3cret")));

        String foreign = raw(post("/servers/apache2/state", "maint",
                "Authorization: Bearer s3cret\r\nOrigin: http://evil.example\r\n"));
        String withoutToken = raw(post("/servers/apache2/state", "maint", ""));
        String listWithoutToken = raw(get("/servers"));
        String with = raw(post("/servers/apache2/state", "maint", "Authorization: Bearer s3cret\r\n"));

        assertTrue(foreign.startsWith("HTTP/1.1 403 "), foreign);
        assertTrue(withoutToken.startsWith("HTTP/1.1 401 "), withoutToken);
        assertTrue(listWithoutToken.startsWith("HTTP/1.1 401 "), listWithoutToken);
        assertTrue(with.startsWith("HTTP/1.1 200 "), with);
        assertEquals(1, control.state().generation(), "only the request with the token changed the state");
    }

    @Test
    void settingTheSameStateAgain_answersUnchanged_andKeepsTheGeneration() throws Exception {
        start(Optional.empty());
        raw(post("/servers/apache1/state", "drain", ""));

        Config again = json(body(raw(post("/servers/apache1/state", "DRAIN", ""))));

        assertFalse(again.getBoolean("changed"));
        assertEquals(1, again.getLong("generation"));
    }

    @Test
    void theConfiguredWeightAgain_clearsTheRuntimeWeight() throws Exception {
        start(Optional.empty());
        raw(post("/servers/apache2/weight", "9", ""));

        Config back = json(body(raw(post("/servers/apache2/weight", "2", ""))));

        assertEquals("weight 9", back.getString("before"));
        assertEquals("ready", back.getString("after"));
        assertTrue(RuntimeStateFile.read(stateFile).orElseThrow().servers().isEmpty(), Files.readString(stateFile));
    }

    private void assertRefused(String request, int status, String error) throws IOException {
        String response = raw(request);
        assertTrue(response.startsWith("HTTP/1.1 " + status + " "), request + "\n" + response);
        assertTrue(json(body(response)).getString("error").contains(error), response);
        assertTrue(response.contains("Content-Type: application/json"), response);
    }

    private void start(Optional<AdminToken> token) {
        stateFile = dir.resolve("state/servers.json");
        int childPort = FreePort.pick();
        Supervisor supervisor = new Supervisor(StandIn.settings(childPort, ""), StandIn.command(childPort));
        control = ServerControl.open(stateFile, SERVERS, List::of, new ChildProxies(Optional.empty()));
        admin = SupervisorAdmin.start(new HostPort("127.0.0.1", FreePort.pick()), token, supervisor,
                reason -> CompletableFuture.completedFuture(ReloadOutcome.refused("not in this test")),
                new VrrpRole(), control);
        port = admin.address().getPort();
    }

    private String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n";
    }

    private String post(String path, String body, String header) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + header + "Content-Length: "
                + body.length() + "\r\n\r\n" + body;
    }

    private String raw(String request) throws IOException {
        return RawAdminRequest.send(port, request);
    }
}

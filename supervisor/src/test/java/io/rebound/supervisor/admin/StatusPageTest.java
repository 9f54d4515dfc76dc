package io.rebound.supervisor.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.admin.AdminToken;
import io.rebound.balance.ServerSettings;
import io.rebound.config.HostPort;
import io.rebound.supervisor.FreePort;
import io.rebound.supervisor.ReloadOutcome;
import io.rebound.supervisor.StandIn;
import io.rebound.supervisor.Supervisor;
import io.rebound.supervisor.VrrpRole;
import io.rebound.supervisor.history.SupervisorEvents;
import io.rebound.supervisor.history.TrafficCounts;
import io.rebound.supervisor.history.TrafficHistory;
import io.rebound.supervisor.history.TrafficSample;
import io.rebound.supervisor.runtime.ChildProxies;
import io.rebound.supervisor.runtime.ServerControl;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page's routes over real sockets: the page and its files with their types and security headers, nothing
 * outside the list, the data as JSON that is not cached, and the admin listener's Host, Origin and token rules.
 */
class StatusPageTest {
    private static final List<ServerSettings> SERVERS = List.of(
            new ServerSettings("apache1", HostPort.parse("127.0.0.1:8081"), 1, true),
            new ServerSettings("apache2", HostPort.parse("127.0.0.1:8082"), 1, true));

    @TempDir
    Path dir;
    private final TrafficHistory traffic = new TrafficHistory(600);
    private final SupervisorEvents events = new SupervisorEvents(() -> 1_764_754_000_000L);
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
    void theRootIsTheHtmlPage_withAStrictContentSecurityPolicy_andItMayNotBeFramed() throws Exception {
        start(Optional.empty(), true);

        Response page = get("/", "");

        assertEquals(200, page.status(), page.text());
        assertEquals("text/html; charset=utf-8", page.header("content-type"));
        String policy = page.header("content-security-policy");
        assertTrue(policy.contains("default-src 'self'") && policy.contains("script-src 'self'")
                && policy.contains("frame-ancestors 'none'"), policy);
        assertFalse(policy.contains("unsafe-inline"), policy);
        assertEquals("DENY", page.header("x-frame-options"));
        assertEquals("nosniff", page.header("x-content-type-options"));
        assertTrue(page.body().contains("<script src=\"/assets/status.js\" defer></script>"), page.body());
        Matcher scripts = Pattern.compile("<script[^>]*>").matcher(page.body());
        while (scripts.find()) {
            assertTrue(scripts.group().contains(" src=\"/assets/"), "no inline script: " + scripts.group());
        }
        assertFalse(page.body().contains("<style") || page.body().contains(" style=") || page.body().contains("://"),
                "no inline style, nothing from another origin");
    }

    @Test
    void theAssetsAreServedFromTheJarWithTheirTypes() throws Exception {
        start(Optional.empty(), true);

        for (Map.Entry<String, String> asset : Map.of(
                "/assets/status.js", "text/javascript; charset=utf-8",
                "/assets/status.css", "text/css; charset=utf-8",
                "/assets/uPlot.iife.min.js", "text/javascript; charset=utf-8",
                "/assets/uPlot.min.css", "text/css; charset=utf-8").entrySet()) {
            Response response = get(asset.getKey(), "");
            assertEquals(200, response.status(), asset.getKey());
            assertEquals(asset.getValue(), response.header("content-type"), asset.getKey());
            assertEquals("nosniff", response.header("x-content-type-options"), asset.getKey());
        }
        assertTrue(get("/assets/uPlot.iife.min.js", "").body().contains("uPlot"));
        assertTrue(get("/assets/status.js", "").body().contains("/servers/"));
    }

    @Test
    void anUnknownAssetOrAPathOutsideTheList_is404() throws Exception {
        start(Optional.empty(), true);

        for (String path : List.of("/assets/secret.js", "/assets/..%2F..%2Freference.conf", "/assets/../reference.conf",
                "/assets/", "/index.html", "/reference.conf", "/META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.js",
                "/io/rebound/supervisor/admin/status-page/status.js")) {
            Response response = get(path, "");
            assertTrue(response.status() == 404 || response.status() == 400, path + ": " + response.text());
            assertFalse(response.body().contains("rebound.supervisor"), path + ": " + response.body());
        }
    }

    @Test
    void trafficAndEventsAreJsonThatIsNotCached_andSinceLeavesOutOlderSamples() throws Exception {
        start(Optional.empty(), true);
        traffic.add(new TrafficSample(1_000, 1_000, 1, new TrafficCounts(7, List.of(0L, 6L, 0L, 1L, 0L, 0L), 2)));
        traffic.add(new TrafficSample(2_000, 1_000, 1, new TrafficCounts(3, List.of(0L, 3L, 0L, 0L, 0L, 0L), 0)));
        events.restart("signal", "pid 4711 ended with signal 9 (KILL); restart 1, a new proxy starts in 100ms");

        Response all = get("/traffic", "");
        Response newer = get("/traffic?since=1000", "");
        Response timeline = get("/events", "");

        assertEquals("application/json", all.header("content-type"));
        assertEquals("no-store", all.header("cache-control"));
        assertTrue(all.body().contains("{\"t\": 1000, \"ms\": 1000, \"proxies\": 1, \"requests\": 7, "
                + "\"responses\": [0, 6, 0, 1, 0, 0], \"proxyErrors\": 2}"), all.body());
        assertFalse(newer.body().contains("\"t\": 1000,"), newer.body());
        assertTrue(newer.body().contains("\"t\": 2000,"), newer.body());
        assertEquals("no-store", timeline.header("cache-control"));
        assertTrue(timeline.body().contains("\"kind\": \"restart\", \"outcome\": \"signal\", \"detail\": \"pid 4711 "
                + "ended with signal 9 (KILL); restart 1, a new proxy starts in 100ms\""), timeline.body());
    }

    @Test
    void aForeignHostIsRefused_forThePageAndItsData() throws Exception {
        start(Optional.empty(), true);

        for (String path : List.of("/", "/assets/status.js", "/traffic", "/events")) {
            Response response = send("GET " + path + " HTTP/1.1\r\nHost: evil.example:" + port + "\r\n");
            assertEquals(403, response.status(), path + ": " + response.text());
        }
    }

    @Test
    void aCrossOriginPostOfAStateIsRefused_andChangesNothing() throws Exception {
        start(Optional.empty(), true);

        Response refused = post("/servers/apache2/state", "drain", "Origin: http://evil.example\r\n");
        Response sameOrigin = post("/servers/apache1/state", "drain", "Origin: http://127.0.0.1:" + port + "\r\n");

        assertEquals(403, refused.status(), refused.text());
        assertEquals("ready", control.state().of("apache2").state().word());
        assertEquals(200, sameOrigin.status(), sameOrigin.text());
        assertEquals("drain", control.state().of("apache1").state().word());
    }

    @Test
    void withAToken_thePageAndItsFilesLoadWithoutIt_butTheDataAndTheChangesNeedIt() throws Exception {
        start(Optional.of(AdminToken.of("s3cret")), true);
        String bearer = "Authorization: Bearer s3cret\r\n";

        for (String open : List.of("/", "/assets/status.js", "/assets/status.css", "/assets/uPlot.iife.min.js",
                "/assets/uPlot.min.css")) {
            assertEquals(200, get(open, "").status(), open);
        }
        for (String data : List.of("/traffic", "/events", "/servers", "/status", "/assets/secret.js")) {
            assertEquals(401, get(data, "").status(), data);
        }
        assertEquals(401, post("/servers/apache2/state", "drain", "").status());
        assertEquals(401, post("/", "drain", "").status());
        assertEquals("ready", control.state().of("apache2").state().word());
        assertEquals(200, get("/traffic", bearer).status());
        assertEquals(200, get("/events", bearer).status());
        assertEquals(200, post("/servers/apache2/state", "drain", bearer).status());
    }

    @Test
    void withThePageTurnedOff_theRootAndItsDataAre404AsAnyUnknownPath() throws Exception {
        start(Optional.empty(), false);

        for (String path : List.of("/", "/assets/status.js", "/traffic", "/events")) {
            assertEquals(404, get(path, "").status(), path);
        }
        assertEquals(200, get("/servers", "").status());
    }

    private void start(Optional<AdminToken> token, boolean page) {
        int childPort = FreePort.pick();
        Supervisor supervisor = new Supervisor(StandIn.settings(childPort, ""), StandIn.command(childPort));
        control = ServerControl.open(dir.resolve("servers.json"), SERVERS, List::of,
                new ChildProxies(Optional.empty()));
        admin = SupervisorAdmin.start(new HostPort("127.0.0.1", FreePort.pick()), token, supervisor,
                reason -> CompletableFuture.completedFuture(ReloadOutcome.refused("not in this test")),
                new VrrpRole(), control, page ? new StatusPage(traffic, events) : null);
        port = admin.address().getPort();
    }

    private record Response(String text) {
        int status() {
            return Integer.parseInt(text.substring(9, 12));
        }

        String header(String name) {
            for (String line : text.substring(0, text.indexOf("\r\n\r\n")).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).toLowerCase(Locale.ROOT).equals(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return "";
        }

        String body() {
            return text.substring(text.indexOf("\r\n\r\n") + 4);
        }
    }

    private Response get(String path, String headers) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headers);
    }

    private Response post(String path, String body, String headers) throws IOException {
        return send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headers + "Content-Length: "
                + body.length() + "\r\n", body);
    }

    private Response send(String head) throws IOException {
        return send(head, "");
    }

    /** Sends the request on a new connection that closes after it, and reads until the listener closes it. */
    private Response send(String head, String body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "Connection: close\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new Response(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}

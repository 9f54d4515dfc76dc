package io.rebound.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rebound.supervisor.FreePort;
import io.rebound.supervisor.HeadlessChromium;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The supervisor's status page in headless Chromium (Debian's chromium and chromium-driver, which
 * dev/setup-test-env.sh installs; nothing is downloaded at test time), against {@code rebound run} as a real process
 * with the real proxy as its child, in front of three real backends.
 */
class StatusPageBrowserTest {
    private static final Duration BOUND = SupervisedProxies.BOUND;
    /** Where the last screenshot goes; docs/status-page.png is a copy of a good one. */
    private static final Path SCREENSHOT = Path.of("target", "status-page.png");

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private SupervisedProxies run;
    private List<CountingBackend> apaches;
    private Path log;
    private ChromeDriver browser;

    @BeforeEach
    void startBackendsSupervisorAndBrowser() throws Exception {
        browser = HeadlessChromium.start();
        run = new SupervisedProxies(dir);
        apaches = List.of(new CountingBackend("apache1", 0), new CountingBackend("apache2", 0),
                new CountingBackend("apache3", 0));
        StringBuilder servers = new StringBuilder("servers = [");
        for (CountingBackend apache : apaches) {
            servers.append("\n  { name = ").append(apache.name()).append(", address = \"").append(apache.address())
                    .append("\" }");
        }
        Path config = run.writeConfig("rebound.conf", FreePort.pick(), run.supervisorPort(), servers + "\n]\n"
                + "check { interval = 300ms, timeout = 250ms }\n"
                + "supervisor.state-file = \"" + dir.resolve("state/servers.json") + "\"\n");
        log = dir.resolve("supervisor.log");
        run.startSupervisor(config, log);
        run.awaitRunningChild(-1);
    }

    @AfterEach
    void stopEverything() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (run != null) {
                run.close();
            }
            if (apaches != null) {
                apaches.forEach(CountingBackend::close);
            }
        }
    }

    @Test
    void thePageShowsTheServersUp_aRestartOnTheTimeline_theCharts_andItsDrainButtonDrainsTheServer() throws Exception {
        browser.get("http://127.0.0.1:" + run.supervisorPort() + "/");
        awaitPage("three servers UP", () -> List.of("UP", "UP", "UP").equals(statuses()));
        assertEquals(List.of("apache1", "apache2", "apache3"), browser.findElements(By.cssSelector("#servers td.name"))
                .stream().map(WebElement::getText).toList());

        long first = run.admin().runningChildPid().orElseThrow();
        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        run.awaitRunningChild(first);
        awaitPage("the restart on the timeline", () -> browser.findElements(By.cssSelector("#events tbody tr"))
                .stream().anyMatch(row -> row.getText().contains("restart") && row.getText().contains("signal")
                        && row.getText().contains("pid " + first + " ended with signal 9 (KILL)")));
        awaitPage("three servers UP in the new proxy", () -> List.of("UP", "UP", "UP").equals(statuses()));

        await("five samples with traffic in /traffic").atMost(BOUND).until(() -> {
            proxyGet();
            return samplesWithRequests() >= 5;
        });
        awaitPage("both charts drawn", () -> chartDrawn("requests-chart") && chartDrawn("responses-chart"));

        browser.findElement(By.cssSelector("button[data-server='apache2'][data-state='drain']")).click();
        awaitPage("apache2 DRAIN", () -> List.of("UP", "DRAIN", "UP").equals(statuses()));
        await("apache2 drained in the proxy").atMost(BOUND)
                .until(() -> supervisorGet("/servers").contains("\"name\": \"apache2\", \"address\": \""
                        + apaches.get(1).address() + "\", \"state\": \"drain\""));
        int[] before = traffic();
        for (int i = 0; i < 30; i++) {
            assertEquals(200, proxyGet(), "request " + i);
        }
        int[] after = traffic();
        assertEquals(before[1], after[1], "a new request reached the drained apache2");
        assertEquals(30, after[0] - before[0] + after[2] - before[2], "apache1 and apache3 served the 30 requests");
        assertTrue(after[0] > before[0] && after[2] > before[2], "both apache1 and apache3 served requests");
        assertTrue(browser.findElement(By.cssSelector("button[data-server='apache2'][data-state='drain']"))
                .getAttribute("disabled") != null, "drain is disabled for a drained server");

        await("the page's charts show the last requests").atMost(BOUND).until(() -> samplesWithRequests() >= 6);
        screenshot();
        assertEquals(List.of(), HeadlessChromium.consoleErrors(browser),
                "no script error, nothing blocked by the Content-Security-Policy");
    }

    private interface PageCondition {
        boolean holds() throws Exception;
    }

    /** Waits for what the page shows, telling the page's text and the supervisor's log when it does not come. */
    private void awaitPage(String what, PageCondition condition) {
        try {
            new WebDriverWait(browser, BOUND).withMessage(what).ignoring(RuntimeException.class)
                    .until(driver -> {
                        try {
                            return condition.holds();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
        } catch (RuntimeException e) {
            fail(what + " not shown within " + BOUND + "; page:\n" + pageText() + "\nlog:\n" + supervisorLog(), e);
        }
    }

    private List<String> statuses() {
        return browser.findElements(By.cssSelector("#servers .status")).stream().map(WebElement::getText).toList();
    }

    /** Whether uPlot drew the chart: a canvas of a non-zero size. */
    private boolean chartDrawn(String id) {
        List<WebElement> canvases = browser.findElements(By.cssSelector("#" + id + " canvas"));
        return !canvases.isEmpty() && canvases.get(0).getSize().getWidth() > 0
                && canvases.get(0).getSize().getHeight() > 0;
    }

    private int samplesWithRequests() throws Exception {
        Matcher requests = Pattern.compile("\"requests\": ([0-9]+)").matcher(supervisorGet("/traffic"));
        int samples = 0;
        while (requests.find()) {
            samples += Integer.parseInt(requests.group(1)) > 0 ? 1 : 0;
        }
        return samples;
    }

    private int[] traffic() {
        return apaches.stream().mapToInt(CountingBackend::traffic).toArray();
    }

    private int proxyGet() throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + run.trafficPort() + "/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private String supervisorGet(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + run.supervisorPort() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private void screenshot() throws IOException {
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
    }

    private String pageText() {
        try {
            return browser.findElement(By.tagName("body")).getText();
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    private String supervisorLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}

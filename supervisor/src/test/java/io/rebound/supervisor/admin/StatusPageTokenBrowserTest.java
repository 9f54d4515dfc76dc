package io.rebound.supervisor.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.admin.AdminToken;
import io.rebound.balance.ServerSettings;
import io.rebound.config.HostPort;
import io.rebound.supervisor.FreePort;
import io.rebound.supervisor.HeadlessChromium;
import io.rebound.supervisor.ReloadOutcome;
import io.rebound.supervisor.StandIn;
import io.rebound.supervisor.Supervisor;
import io.rebound.supervisor.VrrpRole;
import io.rebound.supervisor.history.SupervisorEvents;
import io.rebound.supervisor.history.TrafficHistory;
import io.rebound.supervisor.runtime.ChildProxies;
import io.rebound.supervisor.runtime.ServerControl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * With an admin token, the status page loads without it, asks for it once, keeps it for the tab and sends it with
 * every request; a wrong token is asked for again. Headless Chromium against the admin listener in this process.
 */
class StatusPageTokenBrowserTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final List<ServerSettings> SERVERS = List.of(
            new ServerSettings("apache1", HostPort.parse("127.0.0.1:8081"), 1, true),
            new ServerSettings("apache2", HostPort.parse("127.0.0.1:8082"), 1, true));

    @TempDir
    Path dir;
    private ServerControl control;
    private SupervisorAdmin admin;
    private ChromeDriver browser;

    @BeforeEach
    void startTheAdminWithATokenAndTheBrowser() {
        browser = HeadlessChromium.start();
        int childPort = FreePort.pick();
        Supervisor supervisor = new Supervisor(StandIn.settings(childPort, ""), StandIn.command(childPort));
        control = ServerControl.open(dir.resolve("servers.json"), SERVERS, List::of,
                new ChildProxies(Optional.empty()));
        admin = SupervisorAdmin.start(new HostPort("127.0.0.1", FreePort.pick()), Optional.of(AdminToken.of("s3cret")),
                supervisor, reason -> CompletableFuture.completedFuture(ReloadOutcome.refused("not in this test")),
                new VrrpRole(), control, new StatusPage(new TrafficHistory(60), new SupervisorEvents(() -> 0L)));
    }

    @AfterEach
    void stopEverything() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (admin != null) {
                admin.close();
            }
        }
    }

    @Test
    void thePageAsksForTheToken_aWrongOneIsAskedForAgain_theRightOneShowsTheServersAndDrainWorks() {
        browser.get("http://127.0.0.1:" + admin.address().getPort() + "/");
        WebElement form = browser.findElement(By.id("token-form"));
        await("the page asks for the token", () -> form.isDisplayed());
        assertTrue(browser.findElements(By.cssSelector("#servers tbody tr")).isEmpty(), "no data without the token");

        enterToken("wrong");
        await("a wrong token is asked for again", () -> form.isDisplayed()
                && browser.findElement(By.id("problem")).getText().contains("wrong token"));

        enterToken("s3cret");
        await("the servers, once the token is given", () -> !form.isDisplayed()
                && browser.findElements(By.cssSelector("#servers td.name")).size() == 2);
        assertEquals("s3cret", browser.executeScript("return sessionStorage.getItem('rebound.admin.token')"));

        browser.findElement(By.cssSelector("button[data-server='apache2'][data-state='drain']")).click();
        await("apache2 drained with the token", () -> control.state().of("apache2").state().word().equals("drain"));
        browser.navigate().refresh();
        await("the token is kept for the tab", () -> !browser.findElement(By.id("token-form")).isDisplayed()
                && browser.findElements(By.cssSelector("#servers td.name")).size() == 2);
    }

    private void enterToken(String token) {
        WebElement input = browser.findElement(By.id("token-input"));
        input.clear();
        input.sendKeys(token);
        browser.findElement(By.cssSelector("#token button[type='submit']")).click();
    }

    private interface Condition {
        boolean holds();
    }

    private void await(String what, Condition condition) {
        new WebDriverWait(browser, BOUND).withMessage(() -> what + "; page:\n"
                + browser.findElement(By.tagName("body")).getText()).until(driver -> condition.holds());
    }
}

package io.rebound.it;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drill 9: a real Prometheus server scrapes the proxy's and the supervisor's /metrics every second and sees a killed
 * backend go down, as an operator's dashboards and alerts would.
 */
class PrometheusScrapeIT {
    @RegisterExtension
    static final ApachesExtension APACHES = new ApachesExtension();
    @RegisterExtension
    final ReboundExtension reboundExtension = new ReboundExtension(APACHES);

    /** A few scrapes at 1 s, with room for Prometheus' own start and a busy machine. */
    private static final Duration SCRAPED = Duration.ofSeconds(30);

    @Test
    void prometheusScrapesProxyAndSupervisorAndSeesAKilledBackendDown() {
        ReboundProcess rebound = reboundExtension.rebound();
        Map<String, Integer> targets = new LinkedHashMap<>();
        targets.put("rebound-proxy", rebound.config().adminPort());
        targets.put("rebound-supervisor", rebound.config().supervisorAdminPort());

        try (PrometheusServer prometheus = PrometheusServer.start(WorkDir.create("prometheus-drill"), targets)) {
            prometheus.awaitValue("up{job=\"rebound-proxy\"}", 1, SCRAPED);
            prometheus.awaitValue("up{job=\"rebound-supervisor\"}", 1, SCRAPED);
            prometheus.awaitValue("rebound_server_up{server=\"apache2\"}", 1, SCRAPED);

            APACHES.server("apache2").kill();

            prometheus.awaitValue("rebound_server_up{server=\"apache2\"}", 0,
                    ReboundConfig.downDetection().plus(SCRAPED));
            prometheus.awaitValue("rebound_server_up{server=\"apache1\"}", 1, SCRAPED);
        }
    }
}

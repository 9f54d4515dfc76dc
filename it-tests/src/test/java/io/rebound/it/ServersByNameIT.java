package io.rebound.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance-group drill for servers by name: the three Apache containers are known to Rebound by DNS names
 * (dnsmasq), and apache2's container is replaced by a new one on another address, as a managed group recreates an
 * instance with a new IP. Under a request every 10 ms on a new connection, the DNS record is switched to the new
 * container and the old one removed: no request fails, and the new container gets traffic within the resolve interval
 * plus rise checks.
 */
class ServersByNameIT {
    private static final Logger LOG = LoggerFactory.getLogger(ServersByNameIT.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The address the replacement takes: another loopback address, the same port. */
    private static final String NEW_HOST = "127.0.0.2";

    @RegisterExtension
    static final ApachesExtension APACHES = new ApachesExtension();

    @Test
    void aServerReplacedOnANewAddressIsFollowedThroughDns_withoutAFailedRequest() throws Exception {
        List<ApacheServer> servers = APACHES.cluster().servers();
        ApacheServer old = APACHES.cluster().server("apache2");
        try (DnsMasq dns = DnsMasq.start()) {
            for (ApacheServer server : servers) {
                dns.set(ReboundConfig.dnsName(server), server.host());
            }
            try (ReboundProcess rebound = ReboundProcess.start("ServersByNameIT",
                    ReboundConfig.forServersByName(servers, dns.address()));
                    ApacheServer replacement = new ApacheServer("apache2", NEW_HOST, old.port())) {
                rebound.proxyAdmin().awaitAllUp(servers, TIMEOUT);
                replacement.start();
                List<SequentialLoad.Outcome> outcomes;
                long movedAfterMillis;
                try (SequentialLoad load = SequentialLoad.start(rebound.proxyPort(), Duration.ofSeconds(5), 20_000,
                        Duration.ofSeconds(120))) {
                    load.awaitMore(20, TIMEOUT);
                    long switched = System.nanoTime();
                    dns.set(ReboundConfig.dnsName(old), NEW_HOST);
                    await("apache2 moved to " + replacement.address() + " and serving")
                            .atMost(TIMEOUT).ignoreExceptionsInstanceOf(Exception.class)
                            .until(() -> replacement.trafficRequests() > 0);
                    movedAfterMillis = (System.nanoTime() - switched) / 1_000_000;
                    assertEquals(replacement.address(), rebound.proxyAdmin().resolvedAddress("apache2"));
                    old.kill();
                    load.awaitMore(50, TIMEOUT);
                    outcomes = load.stop();
                } finally {
                    dns.set(ReboundConfig.dnsName(old), old.host());
                }
                List<SequentialLoad.Outcome> failed = outcomes.stream().filter(o -> !o.ok()).toList();
                Duration bound = ReboundConfig.RESOLVE_INTERVAL
                        .plus(ReboundConfig.CHECK_INTERVAL.multipliedBy(ReboundConfig.RISE)).plusSeconds(5);
                LOG.info("apache2 replaced: {} requests, {} failed, the new container served after {} ms (bound {})",
                        outcomes.size(), failed.size(), movedAfterMillis, bound.toMillis());
                assertEquals(List.of(), failed, "requests that failed while apache2 was replaced");
                assertTrue(movedAfterMillis <= bound.toMillis(), "the new container served after " + movedAfterMillis
                        + " ms, more than the resolve interval + rise x check interval + 5 s");
                CommandResult status = rebound.status();
                assertTrue(status.output().contains("Active: active (running)"), status.output());
            }
        }
    }
}

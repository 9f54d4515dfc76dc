package io.rebound.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rebound.it.SequentialLoad.Outcome;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One backend outage as clients live through it: a steady sequential load through the proxy while a backend is
 * broken, seen down by the proxy, restored and seen up again. The outcomes are split at the moments the proxy's
 * /servers reported each transition.
 *
 * @param all        every request of the load, in the order sent
 * @param downSeenAt System.nanoTime when /servers first showed the server down (rebound_server_up 0 checked too)
 * @param restoredAt System.nanoTime just before the server was restored
 * @param upSeenAt   System.nanoTime when /servers first showed the server up again (rebound_server_up 1 checked too)
 */
record Outage(List<Outcome> all, long downSeenAt, long restoredAt, long upSeenAt) {
    /** Bounds of the load: far more than a drill needs, so only a hang can reach them. */
    private static final int LOAD_MAX_REQUESTS = 5_000;
    private static final Duration LOAD_MAX_DURATION = Duration.ofSeconds(90);
    /** What a client waits for one answer: above the proxy's response timeout, so the proxy's 504 comes first. */
    private static final Duration CLIENT_TIMEOUT = ReboundConfig.RESPONSE_TIMEOUT.plusSeconds(3);
    private static final Duration TRAFFIC_TIMEOUT = Duration.ofSeconds(30);
    /** Requests before the outage, while the server is down, and after it is back. */
    private static final int BEFORE = 20;
    private static final int WHILE_DOWN = 30;
    private static final int AFTER = 6;

    Outage {
        all = List.copyOf(all);
    }

    /** Runs the outage: {@code breakIt} the server under load, await down, {@code restore} it, await up. */
    static Outage of(ReboundProcess rebound, ApacheServer server, Consumer<ApacheServer> breakIt,
            Consumer<ApacheServer> restore) throws IOException {
        ProxyAdmin admin = rebound.proxyAdmin();
        String upMetric = "rebound_server_up{server=\"" + server.name() + "\"}";
        try (SequentialLoad load = SequentialLoad.start(rebound.proxyPort(), CLIENT_TIMEOUT, LOAD_MAX_REQUESTS,
                LOAD_MAX_DURATION)) {
            load.awaitMore(BEFORE, TRAFFIC_TIMEOUT);

            breakIt.accept(server);
            admin.awaitState(server.name(), "down", ReboundConfig.downDetection());
            long downSeenAt = System.nanoTime();
            assertEquals(0.0, admin.serverUpMetric(server.name()), upMetric + " while down");
            load.awaitMore(WHILE_DOWN, TRAFFIC_TIMEOUT);

            long restoredAt = System.nanoTime();
            restore.accept(server);
            admin.awaitState(server.name(), "up", ReboundConfig.upDetection());
            long upSeenAt = System.nanoTime();
            assertEquals(1.0, admin.serverUpMetric(server.name()), upMetric + " once back");
            load.awaitMore(AFTER, TRAFFIC_TIMEOUT);

            return new Outage(load.stop(), downSeenAt, restoredAt, upSeenAt);
        }
    }

    /** Every request that did not end in 200, whatever the reason. */
    List<Outcome> failures() {
        return all.stream().filter(outcome -> !outcome.ok()).toList();
    }

    /** The requests sent after the proxy saw the server down and before it was restored. */
    List<Outcome> whileDown() {
        return all.stream()
                .filter(outcome -> outcome.sentAtNanos() - downSeenAt >= 0 && outcome.sentAtNanos() - restoredAt < 0)
                .toList();
    }

    /** The requests sent after the proxy saw the server up again. */
    List<Outcome> afterUp() {
        return all.stream().filter(outcome -> outcome.sentAtNanos() - upSeenAt >= 0).toList();
    }

    /** The names of the servers that answered these requests. */
    static Set<String> servers(List<Outcome> outcomes) {
        return outcomes.stream().map(Outcome::servedBy).collect(Collectors.toSet());
    }
}

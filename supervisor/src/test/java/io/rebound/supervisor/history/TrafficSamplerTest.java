package io.rebound.supervisor.history;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.rebound.config.HostPort;
import io.rebound.supervisor.runtime.ChildProxies;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sampler against a stand-in proxy admin on a real socket answering {@code /traffic} as the proxy writes it: the
 * per-second samples add up to what the proxy counted, across a restart of the proxy (a new pid whose counters start
 * again), and the sampling thread ends on close.
 */
class TrafficSamplerTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** The stand-in proxy's pid and request count, changed together. */
    private final AtomicReference<long[]> proxy = new AtomicReference<>(new long[] {100, 0});
    private HttpServer proxyAdmin;
    private TrafficSampler sampler;

    @AfterEach
    void stop() {
        if (sampler != null) {
            sampler.close();
        }
        if (proxyAdmin != null) {
            proxyAdmin.stop(0);
        }
    }

    @Test
    void theSamplesAddUpToWhatTheProxiesCounted_acrossARestart_andTheThreadEndsOnClose() throws IOException {
        startProxyAdmin();
        TrafficHistory history = new TrafficHistory(600);
        HostPort admin = new HostPort("127.0.0.1", proxyAdmin.getAddress().getPort());
        sampler = TrafficSampler.start(() -> List.of(admin), new ChildProxies(Optional.empty()), history);

        proxy.set(new long[] {100, 40});
        await("the first 40 requests sampled").atMost(BOUND).until(() -> total(history) == 40);
        proxy.set(new long[] {100, 55});
        await("15 more").atMost(BOUND).until(() -> total(history) == 55);
        proxy.set(new long[] {200, 7}); // the proxy restarted: its counters begin again
        await("the restarted proxy's 7 requests added, nothing subtracted").atMost(BOUND)
                .until(() -> total(history) == 62);
        assertTrue(history.samples().stream().allMatch(sample -> sample.counts().requests() >= 0
                && sample.proxies() == 1 && sample.intervalMillis() > 0), history.samples()::toString);
        assertEquals(62, history.samples().stream().mapToLong(sample -> sample.counts().responses().get(1)).sum());

        sampler.close();

        await("the sampling thread ends").atMost(BOUND).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().equals("rebound-traffic-sampler") && thread.isAlive()));
    }

    private static long total(TrafficHistory history) {
        return history.samples().stream().mapToLong(sample -> sample.counts().requests()).sum();
    }

    /** Answers {@code /traffic} as the proxy does; every request counted has a 2xx response. */
    private void startProxyAdmin() throws IOException {
        proxyAdmin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxyAdmin.createContext("/traffic", exchange -> {
            long[] now = proxy.get();
            byte[] body = ("{\"pid\": " + now[0] + ", \"requests\": " + now[1] + ", \"responses\": "
                    + "{\"1xx\": 0, \"2xx\": " + now[1] + ", \"3xx\": 0, \"4xx\": 0, \"5xx\": 0, \"other\": 0}, "
                    + "\"proxyErrors\": 0}\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        proxyAdmin.start();
    }
}

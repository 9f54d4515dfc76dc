package io.rebound.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Prometheus server (Debian's {@code prometheus} binary) on a free loopback port, with a generated scrape
 * config (one job per target, every second) and its own storage in the drill's work directory.
 */
final class PrometheusServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);
    /** Prometheus opens its storage and answers /-/ready in about a second; a busy machine takes longer. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final int port;
    private final Process process;

    private PrometheusServer(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** Starts Prometheus scraping {@code targets}: job name to a loopback port serving /metrics. */
    static PrometheusServer start(Path dir, Map<String, Integer> targets) {
        int port = FreePorts.loopback();
        Path config = dir.resolve("prometheus.yml");
        Path log = dir.resolve("prometheus.log");
        Process process;
        try {
            Files.writeString(config, scrapeConfig(targets), StandardCharsets.UTF_8);
            process = new ProcessBuilder("prometheus",
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start prometheus (Debian package prometheus; "
                    + "dev/setup-test-env.sh installs it)", e);
        }
        LOG.info("prometheus started: pid {}, 127.0.0.1:{}, config {}, log {}", process.pid(), port, config, log);
        PrometheusServer prometheus = new PrometheusServer(port, process);
        try {
            await("prometheus ready on 127.0.0.1:" + port)
                    .atMost(START_TIMEOUT).ignoreExceptionsInstanceOf(Exception.class)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("prometheus exited with " + process.exitValue() + "; see " + log);
                        }
                        return Http.get(port, "/-/ready").isOk();
                    });
            return prometheus;
        } catch (RuntimeException | AssertionError e) {
            prometheus.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /**
     * The value of an instant query through the HTTP API ({@code /api/v1/query}) when it yields exactly one sample;
     * empty when it yields none (not scraped yet).
     */
    OptionalDouble query(String promql) throws IOException {
        HttpAnswer answer = Http.get(port, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        JsonNode json = JSON.readTree(answer.body());
        if (answer.status() != 200 || !"success".equals(json.path("status").asText())) {
            throw new IOException("query " + promql + " answered " + answer.status() + ": " + answer.body());
        }
        JsonNode result = json.path("data").path("result");
        if (result.isEmpty()) {
            return OptionalDouble.empty();
        }
        if (result.size() > 1) {
            throw new IOException("query " + promql + " yields " + result.size() + " samples: " + result);
        }
        // An instant vector sample: "value": [ <unix time>, "<value as string>" ]
        return OptionalDouble.of(Double.parseDouble(result.get(0).path("value").get(1).asText()));
    }

    /** Waits until {@code promql} yields one sample equal to {@code expected}; fails after {@code timeout}. */
    void awaitValue(String promql, double expected, Duration timeout) {
        await("Prometheus query " + promql + " == " + expected)
                .atMost(timeout).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> query(promql), value -> value.isPresent() && value.getAsDouble() == expected);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static String scrapeConfig(Map<String, Integer> targets) {
        String jobs = targets.entrySet().stream()
                .map(job -> """
                          - job_name: %s
                            static_configs:
                              - targets: ["127.0.0.1:%d"]
                        """.formatted(job.getKey(), job.getValue()))
                .collect(Collectors.joining());
        long seconds = SCRAPE_INTERVAL.toSeconds();
        return """
                # Generated by the it-tests: every target's /metrics once a second.
                global:
                  scrape_interval: %ds
                  scrape_timeout: %ds
                  evaluation_interval: %ds
                scrape_configs:
                %s""".formatted(seconds, seconds, seconds, jobs);
    }
}

package io.rebound.it;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The samples of a Prometheus text-format page (a /metrics answer), with the look-ups the drills need. */
final class MetricsText {
    /** name, optional {labels}, value; an optional timestamp may follow. */
    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final List<MetricSample> samples;

    private MetricsText(List<MetricSample> samples) {
        this.samples = List.copyOf(samples);
    }

    /** GET /metrics on 127.0.0.1:{@code port}. */
    static MetricsText scrape(int port) throws IOException {
        HttpAnswer answer = Http.get(port, "/metrics");
        if (answer.status() != 200) {
            throw new IOException("/metrics on port " + port + " answered " + answer.status() + ": " + answer.body());
        }
        return parse(answer.body());
    }

    static MetricsText parse(String text) {
        return new MetricsText(text.lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(MetricsText::sample)
                .toList());
    }

    /** The value of the one sample with this name whose labels include {@code labels}; fails if there is none. */
    double value(String name, Map<String, String> labels) {
        List<MetricSample> matching = samples.stream()
                .filter(sample -> sample.name().equals(name))
                .filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one sample " + name + labels + ", found " + matching);
        }
        return matching.get(0).value();
    }

    /** The sum over every sample of this name (a counter split by labels); 0 when there is none yet. */
    double sum(String name) {
        return samples.stream().filter(sample -> sample.name().equals(name))
                .mapToDouble(MetricSample::value).sum();
    }

    boolean has(String name) {
        return samples.stream().anyMatch(sample -> sample.name().equals(name));
    }

    private static MetricSample sample(String line) {
        Matcher matcher = SAMPLE.matcher(line.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a Prometheus sample line: " + line);
        }
        Map<String, String> labels = new HashMap<>();
        Matcher label = LABEL.matcher(Objects.requireNonNullElse(matcher.group(2), ""));
        while (label.find()) {
            labels.put(label.group(1), label.group(2));
        }
        return new MetricSample(matcher.group(1), labels, Double.parseDouble(matcher.group(3)));
    }
}

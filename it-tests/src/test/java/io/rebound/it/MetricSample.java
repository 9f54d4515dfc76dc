package io.rebound.it;

import java.util.Map;

/** One line of Prometheus' text format: name, labels, value. */
record MetricSample(String name, Map<String, String> labels, double value) {
    MetricSample {
        labels = Map.copyOf(labels);
    }
}

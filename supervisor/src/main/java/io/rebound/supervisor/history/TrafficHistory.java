package io.rebound.supervisor.history;

import java.util.ArrayDeque;
import java.util.List;

/** The last {@code capacity} traffic samples, oldest first; the oldest is dropped when a new one comes. Thread-safe. */
public final class TrafficHistory {
    private final int capacity;
    private final ArrayDeque<TrafficSample> samples;

    public TrafficHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: at least 1)");
        }
        this.capacity = capacity;
        this.samples = new ArrayDeque<>(capacity);
    }

    public synchronized void add(TrafficSample sample) {
        if (samples.size() == capacity) {
            samples.removeFirst();
        }
        samples.addLast(sample);
    }

    public synchronized List<TrafficSample> samples() {
        return List.copyOf(samples);
    }

    public int capacity() {
        return capacity;
    }
}

package io.rebound.it;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What a drill of a keepalived pair stands on: Rebound's image, the three Apache containers, the pair in front of
 * them, and a probe of the virtual address. {@link #close()} removes all of it, also after a failed start.
 */
final class PairDrill implements AutoCloseable {
    private static final int PROBE_MAX_REQUESTS = 100_000;
    private static final Duration PROBE_MAX_DURATION = Duration.ofMinutes(8);
    private static final Duration FIRST_ANSWERS = Duration.ofSeconds(30);

    private ApacheCluster apaches;
    private KeepalivedPair pair;
    private VipProbe probe;

    private PairDrill() {
    }

    /**
     * Builds the image, starts the Apaches and the pair (the shipped keepalived.conf changed by {@code edits}), waits
     * until {@code settled} says the pair is ready, then probes the virtual address until it answers.
     */
    static PairDrill start(String name, UnaryOperator<String> edits, Consumer<KeepalivedPair> settled)
            throws Exception {
        PairDrill drill = new PairDrill();
        try {
            ReboundImage.build();
            drill.apaches = ApacheCluster.start();
            drill.pair = KeepalivedPair.start(drill.apaches, WorkDir.create(name), edits);
            settled.accept(drill.pair);
            drill.probe = VipProbe.start(drill.pair.vip(), KeepalivedPair.TRAFFIC_PORT, PROBE_MAX_REQUESTS,
                    PROBE_MAX_DURATION);
            drill.probe.awaitAnswers(System.nanoTime(), 10, FIRST_ANSWERS);
            return drill;
        } catch (Exception | Error e) {
            drill.close();
            throw e;
        }
    }

    KeepalivedPair pair() {
        return pair;
    }

    VipProbe probe() {
        return probe;
    }

    /** Median and maximum of the longest waits and of the failed requests, for the printed figures. */
    static String summary(List<VipProbe.Window> windows) {
        List<Long> outages = windows.stream().map(w -> w.outage().toMillis()).sorted().toList();
        List<Integer> failed = windows.stream().map(VipProbe.Window::failed).sorted(Comparator.naturalOrder()).toList();
        return "outage median " + outages.get(outages.size() / 2) + " ms, max " + outages.get(outages.size() - 1)
                + " ms; failed requests median " + failed.get(failed.size() / 2) + ", max "
                + failed.get(failed.size() - 1);
    }

    @Override
    public void close() {
        try {
            if (probe != null) {
                probe.close();
            }
        } finally {
            try {
                if (pair != null) {
                    pair.close();
                }
            } finally {
                try {
                    if (apaches != null) {
                        apaches.close();
                    }
                } finally {
                    ReboundImage.remove();
                }
            }
        }
    }
}

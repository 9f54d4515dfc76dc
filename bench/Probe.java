import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A client for the kill drills: one GET on a new connection every 10 ms to 127.0.0.1:PORT for SECONDS seconds, each on
 * its own thread so that a slow answer does not delay the next probe. Prints a summary: answered, refused (connect
 * refused), failed (reset, timeout or not 200) and latency percentiles, then one line per non-answer.
 *
 *   java bench/Probe.java PORT SECONDS
 */
public final class Probe {
    private static final long INTERVAL_NANOS = 10_000_000L;

    record Result(long startedEpochMillis, String outcome, long micros, String detail) {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        if (seconds < 1 || seconds > 600) {
            throw new IllegalArgumentException("SECONDS: " + seconds + " (expected: 1-600)");
        }
        ExecutorService pool = Executors.newFixedThreadPool(400);
        List<Future<Result>> futures = new ArrayList<>();
        long start = System.nanoTime();
        long probes = seconds * 1_000_000_000L / INTERVAL_NANOS;
        for (long i = 0; i < probes; i++) {
            long due = start + i * INTERVAL_NANOS;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            futures.add(pool.submit(() -> once(port)));
        }
        List<Result> results = new ArrayList<>();
        for (Future<Result> future : futures) {
            results.add(future.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        long answered = results.stream().filter(r -> r.outcome().equals("answered")).count();
        long refused = results.stream().filter(r -> r.outcome().equals("refused")).count();
        long failed = results.size() - answered - refused;
        long[] latencies = results.stream().filter(r -> r.outcome().equals("answered")).mapToLong(Result::micros)
                .sorted().toArray();
        System.out.printf("probes=%d answered=%d refused=%d failed=%d latency_ms p50=%.1f p99=%.1f max=%.1f"
                + " over100ms=%d%n", results.size(), answered, refused, failed, percentile(latencies, 50),
                percentile(latencies, 99), percentile(latencies, 100),
                java.util.Arrays.stream(latencies).filter(micros -> micros > 100_000).count());
        for (Result r : results) {
            if (!r.outcome().equals("answered") || r.micros() > 100_000) {
                System.out.printf("  at %d %s %.1f ms %s%n", r.startedEpochMillis(), r.outcome(), r.micros() / 1000.0,
                        r.detail());
            }
        }
    }

    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1000.0;
    }

    private static Result once(int port) {
        long epoch = System.currentTimeMillis();
        long started = System.nanoTime();
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            } catch (ConnectException e) {
                return new Result(epoch, "refused", micros(started), e.getMessage());
            }
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            String status = response.lines().findFirst().orElse("(no response)");
            return new Result(epoch, status.startsWith("HTTP/1.1 200") ? "answered" : "failed", micros(started),
                    status);
        } catch (IOException e) {
            return new Result(epoch, "failed", micros(started), e.toString());
        }
    }

    private static long micros(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1000;
    }
}

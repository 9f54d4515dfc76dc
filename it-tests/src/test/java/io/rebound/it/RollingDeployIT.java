package io.rebound.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A rolling deploy over the three Apache containers, one server at a time, as a deploy script does it:
 * {@code rebound server drain NAME --wait 30s}, deploy a new release to the server and restart it, wait until the
 * server itself serves the release, {@code rebound server ready NAME}, wait until clients get the release through the
 * proxy; then the next server. A probe sends a request every 10 ms on a new connection through the proxy all along:
 * not one may fail, and a drained server answers no request sent after its drain returned. Figures are printed
 * (target/failsafe-reports/io.rebound.it.RollingDeployIT-output.txt).
 */
class RollingDeployIT {
    private static final String RELEASE = "v2";
    /** A deploy script's patience for requests in flight; the probe's take milliseconds. */
    private static final String DRAIN_WAIT = "30s";
    /** The CLI is a JVM: its start alone takes seconds on a busy 2-core machine; beyond the drain's own wait. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** Checks see a restarted server up after rise passes, with room for a busy machine. */
    private static final Duration BACK_IN_ROTATION = Duration.ofSeconds(30);
    private static final Duration FIRST_ANSWERS = Duration.ofSeconds(30);
    /** Answers before the first drain and after the last server is back. */
    private static final int SETTLED_ANSWERS = 30;
    /** Answers with the release a deployed server must give through the proxy before the next one is drained. */
    private static final int ANSWERS_BACK = 5;
    /** Bounds of the probe: a drill takes well under a minute, so only a hang reaches them. */
    private static final int PROBE_MAX_REQUESTS = 30_000;
    private static final Duration PROBE_MAX_DURATION = Duration.ofMinutes(5);
    /** Above the proxy's response timeout: a request the proxy gives up on fails with its 504, which says why. */
    private static final Duration PROBE_READ_TIMEOUT = ReboundConfig.RESPONSE_TIMEOUT.plusSeconds(3);

    @RegisterExtension
    static final ApachesExtension APACHES = new ApachesExtension();
    @RegisterExtension
    final ReboundExtension reboundExtension = new ReboundExtension(APACHES);

    /**
     * One server's turn, each moment by System.nanoTime: drain asked (the command started) and returned, the release
     * serving on the server itself, ready asked, and the release's first answer through the proxy.
     */
    private record Turn(String name, String oldPage, String newPage, long drainAsked, long drained, long deployed,
                        long readyAsked, long back, String drainOutput) {
        boolean from(VipProbe.Outcome outcome) {
            return outcome.ok() && (outcome.detail().equals(oldPage) || outcome.detail().equals(newPage));
        }
    }

    @Test
    void drainDeployReady_oneServerAtATime_underAProbeEvery10ms_noRequestFails_andNoneReachesADrainedServer() {
        ReboundProcess rebound = reboundExtension.rebound();
        List<Turn> turns = new ArrayList<>();
        List<VipProbe.Outcome> outcomes;
        VipProbe.Window whole;
        long start = System.nanoTime();
        try (VipProbe probe = VipProbe.start("127.0.0.1", rebound.proxyPort(), PROBE_MAX_REQUESTS,
                PROBE_MAX_DURATION, PROBE_READ_TIMEOUT)) {
            probe.awaitAnswers(start, SETTLED_ANSWERS, FIRST_ANSWERS);
            for (ApacheServer server : APACHES.cluster().servers()) {
                turns.add(deploy(rebound, probe, server));
            }
            probe.awaitAnswers(System.nanoTime(), SETTLED_ANSWERS, FIRST_ANSWERS);
            probe.close();
            outcomes = probe.outcomes();
            whole = probe.window(start);
        }

        Map<String, Long> answers = outcomes.stream().filter(VipProbe.Outcome::ok)
                .collect(Collectors.groupingBy(VipProbe.Outcome::detail, TreeMap::new, Collectors.counting()));
        System.out.println("rolling deploy drill: " + whole + "; answers " + answers);
        for (Turn turn : turns) {
            System.out.println("rolling deploy drill: " + figures(turn, outcomes));
        }

        List<String> failures = outcomes.stream().filter(outcome -> !outcome.ok())
                .map(outcome -> "+" + millis(outcome.sentAt() - start) + " ms: " + outcome.detail()).toList();
        assertEquals(List.of(), failures, "failed probe requests (sent at, reason); turns " + describe(turns, start));
        for (Turn turn : turns) {
            List<String> whileDrained = outcomes.stream()
                    .filter(outcome -> outcome.sentAt() - turn.drained() >= 0
                            && outcome.sentAt() - turn.readyAsked() < 0 && turn.from(outcome))
                    .map(outcome -> "+" + millis(outcome.sentAt() - start) + " ms: " + outcome.detail()).toList();
            assertEquals(List.of(), whileDrained, turn.name() + " answered requests sent while it was drained; turns "
                    + describe(turns, start));
            List<VipProbe.Outcome> afterReady = outcomes.stream()
                    .filter(outcome -> outcome.sentAt() - turn.readyAsked() >= 0 && turn.from(outcome)).toList();
            assertTrue(afterReady.stream().allMatch(outcome -> outcome.detail().equals(turn.newPage())),
                    turn.name() + " answered with its old release after its deploy: " + afterReady);
            assertTrue(afterReady.size() >= ANSWERS_BACK, turn.name() + " answered " + afterReady.size()
                    + " requests after its deploy");
        }
    }

    private static Turn deploy(ReboundProcess rebound, VipProbe probe, ApacheServer server) {
        String oldPage = server.page();
        long drainAsked = System.nanoTime();
        CommandResult drain = rebound.server(COMMAND_TIMEOUT, "drain", server.name(), "--wait", DRAIN_WAIT);
        long drained = System.nanoTime();
        assertEquals(0, drain.exitCode(), "rebound server drain " + server.name() + " --wait " + DRAIN_WAIT + ": "
                + drain.output() + "\n" + rebound.logTail(40));

        server.deploy(RELEASE);
        long deployed = System.nanoTime();

        long readyAsked = System.nanoTime();
        CommandResult ready = rebound.server(COMMAND_TIMEOUT, "ready", server.name());
        assertEquals(0, ready.exitCode(), "rebound server ready " + server.name() + ": " + ready.output() + "\n"
                + rebound.logTail(40));
        probe.awaitAnswers(readyAsked, ANSWERS_BACK, server.page(), BACK_IN_ROTATION);
        long back = probe.outcomes().stream()
                .filter(outcome -> outcome.sentAt() - readyAsked >= 0 && outcome.ok()
                        && outcome.detail().equals(server.page()))
                .mapToLong(VipProbe.Outcome::sentAt).findFirst().orElseThrow();
        return new Turn(server.name(), oldPage, server.page(), drainAsked, drained, deployed, readyAsked, back,
                drain.output());
    }

    private static String figures(Turn turn, List<VipProbe.Outcome> outcomes) {
        return turn.name() + ": drain --wait returned after " + millis(turn.drained() - turn.drainAsked()) + " ms ("
                + turn.drainOutput().strip().replace('\n', ' ') + "), " + inFlightAtDrain(turn, outcomes).size()
                + " answers to requests sent while the command ran (its JVM's start included); deployed in "
                + millis(turn.deployed() - turn.drained()) + " ms; first " + RELEASE + " answer through the proxy "
                + millis(turn.back() - turn.readyAsked()) + " ms after ready; out of rotation "
                + millis(turn.back() - turn.drained()) + " ms";
    }

    /**
     * Answers of the server to requests sent after its drain was asked and before it returned: sent before the proxy
     * applied the drain, or in flight when it did.
     */
    private static List<VipProbe.Outcome> inFlightAtDrain(Turn turn, List<VipProbe.Outcome> outcomes) {
        return outcomes.stream().filter(outcome -> outcome.sentAt() - turn.drainAsked() >= 0
                && outcome.sentAt() - turn.drained() < 0 && turn.from(outcome)).toList();
    }

    private static String describe(List<Turn> turns, long start) {
        return turns.stream().map(turn -> turn.name() + " drain +" + millis(turn.drainAsked() - start) + "..+"
                + millis(turn.drained() - start) + " ms, ready +" + millis(turn.readyAsked() - start) + " ms, back +"
                + millis(turn.back() - start) + " ms").collect(Collectors.joining("; "));
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }
}

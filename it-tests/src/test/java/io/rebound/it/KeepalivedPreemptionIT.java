package io.rebound.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.it.KeepalivedPair.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pair as many operators run keepalived: its default advertisements every second, and preemption (the shipped
 * keepalived.conf with {@code advert_int 1} and without {@code nopreempt}). The machine with the higher priority is
 * killed; the other takes the address after about three advertisements; the killed one comes back and takes the
 * address back once its proxy is ready. Figures are printed beside KeepalivedPairIT's; the asserted bounds are generous.
 */
class KeepalivedPreemptionIT {
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final Duration FAILOVER = Duration.ofSeconds(30);
    private static final int ROUNDS = 2;

    private static PairDrill drill;
    private static KeepalivedPair pair;
    private static VipProbe probe;

    @BeforeAll
    static void startApachesAndAPreemptingPair() throws Exception {
        drill = PairDrill.start("KeepalivedPreemptionIT", KeepalivedPreemptionIT::defaultAdvertisementsAndPreemption,
                started -> {
                    Node first = started.nodes().get(0);
                    await(first.name() + ", the higher priority, holding the address").atMost(SETTLE)
                            .pollInterval(POLL).ignoreExceptionsInstanceOf(Exception.class)
                            .until(() -> started.holdsVip(first));
                });
        pair = drill.pair();
        probe = drill.probe();
    }

    @AfterAll
    static void removeEverything() {
        if (drill != null) {
            drill.close();
        }
    }

    @Test
    void dockerKillOfTheMaster_theBackupServesWithinAFewAdvertisements_andTheMasterTakesTheAddressBackOnReturn() {
        Node preferred = pair.nodes().get(0);
        Node backup = pair.other(preferred);
        List<VipProbe.Window> failovers = new ArrayList<>();
        List<VipProbe.Window> returns = new ArrayList<>();
        for (int i = 1; i <= ROUNDS; i++) {
            assertEquals(preferred, pair.awaitSettled(SETTLE), "the higher priority holds the address");
            long killedAt = System.nanoTime();
            DockerCli.ok("kill", preferred.name());
            await(backup.name() + " holding " + pair.vip()).atMost(FAILOVER)
                    .pollInterval(POLL).ignoreExceptionsInstanceOf(Exception.class)
                    .until(() -> pair.holdsVip(backup));
            probe.awaitAnswers(System.nanoTime(), 20, FAILOVER);
            VipProbe.Window failover = probe.window(killedAt);
            failovers.add(failover);
            System.out.println("preempting pair, round " + i + ": " + preferred.name() + " killed, " + backup.name()
                    + " serves: " + failover);

            long backAt = System.nanoTime();
            pair.startAgain(preferred);
            await(preferred.name() + " taking the address back (preemption)").atMost(SETTLE)
                    .pollInterval(POLL).ignoreExceptionsInstanceOf(Exception.class)
                    .until(() -> pair.holdsVip(preferred));
            probe.awaitAnswers(System.nanoTime(), 20, FAILOVER);
            VipProbe.Window back = probe.window(backAt);
            returns.add(back);
            System.out.println("preempting pair, round " + i + ": " + preferred.name() + " back and MASTER again: "
                    + back + (back.failures().isEmpty() ? "" : "; failures " + back.failures()));
        }
        System.out.println("preempting pair (advert_int 1): " + PairDrill.summary(failovers)
                + " (targets: <= 4000 ms); on return: " + PairDrill.summary(returns) + " (target: <= 1 failed)");
        for (VipProbe.Window failover : failovers) {
            assertTrue(failover.outage().compareTo(Duration.ofSeconds(10)) < 0, "outage " + failover);
            assertTrue(failover.failed() <= 600, "failed requests " + failover);
        }
        for (VipProbe.Window back : returns) {
            assertTrue(back.failed() <= 10, "failed requests while the MASTER took the address back " + back);
        }
    }

    /** What an operator edits in the shipped file for keepalived's defaults: one advertisement a second, preemption. */
    private static String defaultAdvertisementsAndPreemption(String shipped) {
        String edited = shipped.replaceFirst("(?m)^(\\s*)advert_int 0\\.1\\s*$", "$1advert_int 1")
                .replaceFirst("(?m)^\\s*nopreempt\\s*\\n", "");
        if (edited.contains("advert_int 0.1") || Pattern.compile("(?m)^\\s*nopreempt\\s*$").matcher(edited).find()) {
            throw new IllegalStateException("the shipped keepalived.conf changed: advert_int 0.1 or nopreempt not found"
                    + " where expected");
        }
        if (!edited.contains("advert_int 1")) {
            throw new IllegalStateException("the shipped keepalived.conf has no advert_int to change");
        }
        return edited;
    }
}

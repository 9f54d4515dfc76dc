package io.rebound.resolve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlotsAndHoldTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void anAddressKeepsItsSlotNewOnesTakeFreeSlotsInAddressOrderAndVanishedOnesFreeTheirs() {
        InetAddress a = ip("10.0.0.1");
        InetAddress b = ip("10.0.0.2");
        InetAddress c = ip("10.0.0.3");
        InetAddress d = ip("10.0.0.4");
        InetAddress[] first = Slots.assign(new InetAddress[4], List.of(c, a, b));
        assertArrayEquals(new InetAddress[] {a, b, c, null}, first);
        InetAddress[] shrunk = Slots.assign(first, List.of(c));
        assertArrayEquals(new InetAddress[] {null, null, c, null}, shrunk);
        InetAddress[] grown = Slots.assign(shrunk, List.of(d, c, b, a));
        assertArrayEquals(new InetAddress[] {a, b, c, d}, grown);
        assertArrayEquals(new InetAddress[] {a, b}, Slots.assign(new InetAddress[2], List.of(d, c, b, a)));
    }

    @Test
    void aPlainServerKeepsItsAddressWhileTheNameStillHasItElseTakesTheFirst() {
        InetAddress a = ip("10.0.0.1");
        InetAddress b = ip("10.0.0.2");
        assertEquals(b, Slots.pickOne(b, List.of(a, b)));
        assertEquals(a, Slots.pickOne(null, List.of(a, b)));
        assertEquals(a, Slots.pickOne(ip("10.0.0.9"), List.of(a, b)));
        assertEquals(null, Slots.pickOne(a, List.of()));
    }

    @Test
    void failedLookupsKeepTheLastAddressesForTheirHoldFromTheLastGoodAnswer() {
        NameHold hold = new NameHold(Duration.ofSeconds(30), Duration.ofSeconds(10));
        InetAddress a = ip("10.0.0.1");
        assertEquals(new NameHold.Decision(List.of(a), Optional.empty()), hold.next(DnsAnswer.found(List.of(a)), 0));
        assertEquals(List.of(a), hold.next(DnsAnswer.timeout(), 9 * SECOND).addresses());
        assertEquals(new NameHold.Decision(List.of(), Optional.of("DNS: timeout")),
                hold.next(DnsAnswer.timeout(), 10 * SECOND));
        assertEquals(List.of(a), hold.next(DnsAnswer.found(List.of(a)), 11 * SECOND).addresses());
        assertEquals(new NameHold.Decision(List.of(a), Optional.of("DNS: no such name")),
                hold.next(DnsAnswer.noSuchName(), 40 * SECOND));
        assertEquals(List.of(), hold.next(DnsAnswer.noSuchName(), 41 * SECOND).addresses());
    }

    @Test
    void aNameNeverResolvedHasNoAddressToHold() {
        NameHold hold = new NameHold(Duration.ofSeconds(30), Duration.ofSeconds(30));
        assertEquals(new NameHold.Decision(List.of(), Optional.of("DNS: no such name")),
                hold.next(DnsAnswer.noSuchName(), 0));
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}

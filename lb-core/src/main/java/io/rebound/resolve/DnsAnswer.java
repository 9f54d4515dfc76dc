package io.rebound.resolve;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/** What one lookup of a name gave: its addresses, or why none. Immutable. */
public record DnsAnswer(Outcome outcome, List<InetAddress> addresses, String error) {

    /** The kinds of answers that the hold keys tell apart. */
    public enum Outcome { FOUND, NO_SUCH_NAME, TIMEOUT, FAILED }

    public DnsAnswer {
        Objects.requireNonNull(outcome, "outcome");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(error, "error");
    }

    static DnsAnswer found(List<InetAddress> addresses) {
        return new DnsAnswer(Outcome.FOUND, addresses, "");
    }

    static DnsAnswer noSuchName() {
        return new DnsAnswer(Outcome.NO_SUCH_NAME, List.of(), "DNS: no such name");
    }

    static DnsAnswer timeout() {
        return new DnsAnswer(Outcome.TIMEOUT, List.of(), "DNS: timeout");
    }

    static DnsAnswer failed(String why) {
        return new DnsAnswer(Outcome.FAILED, List.of(), "DNS: " + why);
    }

    public boolean found() {
        return outcome == Outcome.FOUND;
    }
}

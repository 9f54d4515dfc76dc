package io.rebound.resolve;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Which address each slot of a group holds (HAProxy's server-template): an address keeps its slot while the name still
 * resolves to it, new addresses take the lowest free slots in address order, a vanished address frees its slot.
 * Addresses beyond the slots wait until one is free. Pure.
 */
final class Slots {

    private Slots() {
    }

    /**
     * @param current the address of each slot now, null for a free slot
     * @param resolved the addresses the name resolves to now
     * @return the address of each slot next, null for a free slot; the same length as {@code current}
     */
    static InetAddress[] assign(InetAddress[] current, List<InetAddress> resolved) {
        InetAddress[] next = new InetAddress[current.length];
        List<InetAddress> waiting = new ArrayList<>();
        for (InetAddress address : resolved) {
            int kept = Arrays.asList(current).indexOf(address);
            if (kept >= 0) {
                next[kept] = address;
            } else if (!waiting.contains(address)) {
                waiting.add(address);
            }
        }
        // In address order, not the answer's: name servers rotate their answers, and slots should not depend on it.
        waiting.sort(Comparator.comparing((InetAddress a) -> a.getAddress().length)
                .thenComparing(InetAddress::getAddress, Arrays::compareUnsigned));
        for (int slot = 0; slot < next.length && !waiting.isEmpty(); slot++) {
            if (next[slot] == null) {
                next[slot] = waiting.remove(0);
            }
        }
        return next;
    }

    /** The one address of a plain server: the current one while the name still has it (no flapping), else the first. */
    static InetAddress pickOne(InetAddress current, List<InetAddress> resolved) {
        if (resolved.isEmpty()) {
            return null;
        }
        return current != null && resolved.contains(current) ? current : resolved.get(0);
    }
}

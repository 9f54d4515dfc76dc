package io.rebound.balance;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One member of the backend at run time: its settings, its position in the configuration, its in-flight count and its
 * current address. The address is one immutable {@link ServerAddress}, swapped whole when a resolution changes it;
 * health checks and connections both read it, so they always use the same address.
 */
public final class Server {
    private final ServerSettings settings;
    private final int index;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile ServerAddress address;
    /** The weight balancing uses: the configured one until the operator sets another at run time. */
    private volatile int weight;
    /** Smooth weighted round-robin's running weight; read and written only under that balancer's lock. */
    int currentWeight;

    public Server(ServerSettings settings, int index) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.index = index;
        this.address = ServerAddress.initial(settings.address());
        this.weight = settings.weight();
    }

    /** The weight in use: the configured one, or the one set at run time. */
    public int weight() {
        return weight;
    }

    /**
     * Sets the weight in use, 1 to {@link ServerSettings#MAX_WEIGHT}.
     *
     * @throws IllegalArgumentException when out of range
     */
    public void setWeight(int weight) {
        if (weight < 1 || weight > ServerSettings.MAX_WEIGHT) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: 1-" + ServerSettings.MAX_WEIGHT + ")");
        }
        this.weight = weight;
    }

    /** The current address snapshot. */
    public ServerAddress address() {
        return address;
    }

    /** The current socket address, or empty when the server has none. */
    public Optional<InetSocketAddress> socket() {
        return address.socket();
    }

    /** Swaps in a new address snapshot and returns the one it replaced. */
    public synchronized ServerAddress swapAddress(ServerAddress next) {
        ServerAddress previous = address;
        address = Objects.requireNonNull(next, "next");
        return previous;
    }

    public ServerSettings settings() {
        return settings;
    }

    public String name() {
        return settings.name();
    }

    /** Position in the configured list, from 0. */
    public int index() {
        return index;
    }

    public int inFlight() {
        return inFlight.get();
    }

    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    public void requestEnded() {
        inFlight.decrementAndGet();
    }

    @Override
    public String toString() {
        return settings.name() + " (" + settings.address() + " at " + address + ")";
    }
}

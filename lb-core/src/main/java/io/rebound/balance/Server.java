package io.rebound.balance;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/** One member of the backend at run time: its settings, its position in the configuration and its in-flight count. */
public final class Server {
    private final ServerSettings settings;
    private final int index;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Smooth weighted round-robin's running weight; read and written only under that balancer's lock. */
    int currentWeight;

    public Server(ServerSettings settings, int index) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.index = index;
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
        return settings.name() + " (" + settings.address() + ")";
    }
}

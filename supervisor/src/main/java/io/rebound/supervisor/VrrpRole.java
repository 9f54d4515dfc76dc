package io.rebound.supervisor;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VRRP role of this machine as keepalived last told it ({@code rebound vrrp-notify}): kept beside the supervisor,
 * not in it, because it changes nothing the supervisor does; status and metrics read it. Empty until told.
 */
public final class VrrpRole {
    private static final Logger log = LoggerFactory.getLogger(VrrpRole.class);

    /** keepalived's states, as its {@code notify} scripts name them. */
    public enum State {
        MASTER, BACKUP, FAULT, STOP;

        /**
         * The state named {@code text} (any case, surrounding blanks ignored).
         *
         * @throws IllegalArgumentException naming the states expected
         */
        public static State parse(String text) {
            String name = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
            for (State state : values()) {
                if (state.name().equals(name)) {
                    return state;
                }
            }
            throw new IllegalArgumentException("VRRP state: '" + (text == null ? "" : text.strip())
                    + "' (expected: MASTER, BACKUP, FAULT or STOP)");
        }
    }

    /** A state and the wall-clock time it was told. */
    public record Reported(State state, long sinceEpochMillis) {
        public Reported {
            Objects.requireNonNull(state, "state");
        }
    }

    private final AtomicReference<Optional<Reported>> current = new AtomicReference<>(Optional.empty());
    private final LongSupplier clock;

    public VrrpRole() {
        this(System::currentTimeMillis);
    }

    /** With the wall clock {@code clock} (epoch milliseconds). */
    public VrrpRole(LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Records {@code state}, told now because of {@code reason}. */
    public Reported tell(State state, String reason) {
        return tell(state, clock.getAsLong(), reason);
    }

    /**
     * Records {@code state}, which keepalived entered at {@code atEpochMillis}, told because of {@code reason}. A
     * report older than the current one is ignored (keepalived's notify scripts run concurrently and may arrive out
     * of order); telling the current state again keeps its time (keepalived repeats a notify when it restarts).
     *
     * @return the state kept
     */
    public synchronized Reported tell(State state, long atEpochMillis, String reason) {
        Objects.requireNonNull(state, "state");
        Optional<Reported> before = current.get();
        if (before.isPresent() && (before.get().state() == state || atEpochMillis < before.get().sinceEpochMillis())) {
            if (before.get().state() != state) {
                log.info("VRRP {} reported for {} ignored ({}): {} since {} is newer", state,
                        Instant.ofEpochMilli(atEpochMillis), reason, before.get().state(),
                        Instant.ofEpochMilli(before.get().sinceEpochMillis()));
            }
            return before.get();
        }
        Reported now = new Reported(state, atEpochMillis);
        current.set(Optional.of(now));
        log.info("VRRP {} -> {} ({}){}", before.map(r -> r.state().name()).orElse("unknown"), state, reason,
                state == State.MASTER ? ": this machine holds the virtual address" : "");
        return now;
    }

    /** The last state told, if any. */
    public Optional<Reported> current() {
        return current.get();
    }
}

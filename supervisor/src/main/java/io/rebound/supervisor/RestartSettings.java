package io.rebound.supervisor;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * When and how soon the child is started again: the keys of {@code rebound.supervisor} named after restarts.
 *
 * @param policy when to restart ({@code restart})
 * @param delay pause before a restart while not crash-looping ({@code restart-delay})
 * @param maxDelay upper bound of the crash-loop delay ({@code restart-max-delay})
 * @param startLimit when restarts count as a crash loop ({@code start-limit-burst}, {@code start-limit-interval})
 * @param preventExitStatus exit codes after which the child is not restarted ({@code restart-prevent-exit-status})
 */
public record RestartSettings(RestartPolicy policy, Duration delay, Duration maxDelay, StartLimit startLimit,
                              Set<Integer> preventExitStatus) {

    public RestartSettings {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(startLimit, "startLimit");
        preventExitStatus = Set.copyOf(preventExitStatus);
    }

    /** The crash-loop delay function these settings describe. */
    public Backoff backoff() {
        return new Backoff(delay, maxDelay);
    }
}

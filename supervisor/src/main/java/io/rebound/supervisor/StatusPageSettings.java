package io.rebound.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * The status page of the supervisor's admin listener ({@code rebound.supervisor.status-page}).
 *
 * @param enabled whether {@code GET /} serves the page (and {@code /traffic}, {@code /events} its data)
 * @param history how much traffic history the supervisor keeps, one sample a second
 */
public record StatusPageSettings(boolean enabled, Duration history) {
    /** The shortest history: the page's charts need a minute to show a trend. */
    public static final Duration MIN_HISTORY = Duration.ofMinutes(1);
    /** The longest history: 3,600 samples of a few dozen bytes each, sent to the page as a whole on its first load. */
    public static final Duration MAX_HISTORY = Duration.ofHours(1);

    public StatusPageSettings {
        Objects.requireNonNull(history, "history");
        if (history.compareTo(MIN_HISTORY) < 0 || history.compareTo(MAX_HISTORY) > 0) {
            throw new IllegalArgumentException("history: " + history + " (expected: 1m to 1h)");
        }
    }

    /** How many one-second samples the history holds. */
    public int samples() {
        return (int) history.toSeconds();
    }
}

package io.rebound.supervisor;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A state machine's table: for a (state, kind of event) pair, the action to take. Pairs not in the table are events
 * that mean nothing in that state. Built once; a pair given twice is a mistake in the table and fails at once.
 *
 * @param <S> the states
 * @param <K> the kinds of events
 * @param <T> what the actions act on
 */
final class TransitionTable<S extends Enum<S>, K extends Enum<K>, T> {

    /** What to do on an event of a kind in a state. */
    @FunctionalInterface
    interface Action<T> {
        void run(T target, Event event);
    }

    private final Class<K> kinds;
    private final Map<S, Map<K, Action<T>>> rows;

    private TransitionTable(Class<S> states, Class<K> kinds) {
        this.kinds = kinds;
        this.rows = new EnumMap<>(states);
    }

    static <S extends Enum<S>, K extends Enum<K>, T> TransitionTable<S, K, T> of(Class<S> states, Class<K> kinds) {
        return new TransitionTable<>(states, kinds);
    }

    /** Adds the action for {@code kind} in each of {@code states}. */
    TransitionTable<S, K, T> on(Set<S> states, K kind, Action<T> action) {
        for (S state : states) {
            Action<T> earlier = rows.computeIfAbsent(state, s -> new EnumMap<>(kinds)).putIfAbsent(kind, action);
            if (earlier != null) {
                throw new IllegalStateException("(" + state + ", " + kind + ") is in the table twice");
            }
        }
        return this;
    }

    /** The action for {@code kind} in {@code state}, if the table has one. */
    Optional<Action<T>> find(S state, K kind) {
        Map<K, Action<T>> row = rows.get(state);
        return row == null ? Optional.empty() : Optional.ofNullable(row.get(kind));
    }
}

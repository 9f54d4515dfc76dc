package io.rebound.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Outcomes to give once the status after the current event is published, so that whoever waits for an outcome sees
 * the status it led to.
 */
final class Answers {
    private final List<Runnable> pending = new ArrayList<>();

    void give(CompletableFuture<ReloadOutcome> result, ReloadOutcome outcome) {
        pending.add(() -> result.complete(outcome));
    }

    /** Gives every pending outcome. */
    void giveAll() {
        List<Runnable> now = List.copyOf(pending);
        pending.clear();
        now.forEach(Runnable::run);
    }
}

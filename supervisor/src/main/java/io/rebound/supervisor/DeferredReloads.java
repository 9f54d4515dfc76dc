package io.rebound.supervisor;

import io.rebound.supervisor.Event.ReloadRequested;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reloads asked for while a proxy that was launched before them gets ready: it runs the file as it was, so they can be
 * neither dropped nor answered as done. One reload serves them all once a proxy runs.
 */
final class DeferredReloads {
    private final List<ReloadRequested> waiting = new ArrayList<>();

    void add(ReloadRequested request) {
        waiting.add(request);
    }

    /** One reload for all the waiting requests, each of which gets its outcome; empty if none waits. */
    Optional<ReloadRequested> takeAsOne() {
        if (waiting.isEmpty()) {
            return Optional.empty();
        }
        List<ReloadRequested> all = List.copyOf(waiting);
        waiting.clear();
        CompletableFuture<ReloadOutcome> outcome = new CompletableFuture<>();
        outcome.thenAccept(done -> all.forEach(request -> request.result().complete(done)));
        return Optional.of(new ReloadRequested(all.get(all.size() - 1).reason() + ", deferred until a proxy ran",
                outcome));
    }

    /** Takes the waiting requests, to be answered otherwise. */
    List<ReloadRequested> takeAll() {
        List<ReloadRequested> all = List.copyOf(waiting);
        waiting.clear();
        return all;
    }
}

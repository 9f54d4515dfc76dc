package io.rebound.it;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fresh Rebound ({@code bin/rebound run}) for every drill, in front of the class's three Apache containers; after
 * the drill every Rebound process is gone, and a failed drill's output shows the tail of Rebound's log.
 * Register it with {@code @RegisterExtension} after the {@link ApachesExtension} it uses.
 */
final class ReboundExtension implements BeforeEachCallback, AfterEachCallback {
    private static final Logger LOG = LoggerFactory.getLogger(ReboundExtension.class);

    private final ApachesExtension apaches;
    private ReboundProcess rebound;

    ReboundExtension(ApachesExtension apaches) {
        this.apaches = apaches;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        String drill = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
        rebound = ReboundProcess.start(drill, ReboundConfig.forServers(apaches.cluster().servers()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (rebound == null) {
            return;
        }
        try {
            if (context.getExecutionException().isPresent()) {
                LOG.error("drill failed; last lines of {}:\n{}", rebound.log(), rebound.logTail(60));
            }
            rebound.close();
        } finally {
            rebound = null;
        }
    }

    ReboundProcess rebound() {
        if (rebound == null) {
            throw new IllegalStateException("Rebound is not started");
        }
        return rebound;
    }
}

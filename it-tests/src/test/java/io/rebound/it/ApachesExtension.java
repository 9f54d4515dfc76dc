package io.rebound.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The three Apache containers of a drill class: started once before the first drill, put back (started again,
 * unpaused) after every drill that broke them, removed after the last one.
 * Register it as a static field with {@code @RegisterExtension}, before any extension that uses the servers.
 */
final class ApachesExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private ApacheCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = ApacheCluster.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        cluster.restoreAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    ApacheCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the Apache containers are not started");
        }
        return cluster;
    }

    ApacheServer server(String name) {
        return cluster().server(name);
    }
}

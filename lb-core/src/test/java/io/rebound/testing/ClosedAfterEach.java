package io.rebound.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test started (backends, proxies, servers), closed after the test in the reverse order of starting, also when
 * the test fails. Register it as a field,
 * {@code @RegisterExtension final ClosedAfterEach started = new ClosedAfterEach();}, then
 * {@code backend = started.add(TestBackend.start("apache1"));}.
 */
public final class ClosedAfterEach implements AfterEachCallback {
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** {@code resource}, to be closed after the test. */
    public <T extends AutoCloseable> T add(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}

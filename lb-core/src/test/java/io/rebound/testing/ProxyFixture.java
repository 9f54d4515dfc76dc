package io.rebound.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test backends and a proxy in front of them, all stopped after each test, also when it fails. Register with
 * {@code @RegisterExtension final ProxyFixture fixture = new ProxyFixture();}.
 */
public final class ProxyFixture implements AfterEachCallback {
    private final List<TestBackend> backends = new ArrayList<>();
    private TestProxy proxy;

    /** Starts a backend that answers {@code <name>\n}. */
    public TestBackend backend(String name) {
        return add(TestBackend.start(name));
    }

    /** Adds a backend started elsewhere (with special behaviour) so that it is stopped after the test. */
    public TestBackend add(TestBackend backend) {
        backends.add(backend);
        return backend;
    }

    public List<TestBackend> backends() {
        return List.copyOf(backends);
    }

    /** Starts the proxy in front of every backend so far; {@code hocon} overrides anything. */
    public TestProxy start(String hocon) {
        proxy = TestProxy.start(backends, hocon);
        return proxy;
    }

    /** Starts the proxy with the servers given in {@code hocon} itself. */
    public TestProxy startWithServers(String hocon) {
        proxy = TestProxy.start(List.of(), hocon);
        return proxy;
    }

    public TestProxy proxy() {
        return proxy;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (proxy != null) {
            proxy.close();
        }
        backends.forEach(TestBackend::close);
    }
}

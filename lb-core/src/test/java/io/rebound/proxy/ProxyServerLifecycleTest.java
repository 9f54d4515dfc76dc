package io.rebound.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.rebound.testing.TestBackend;
import io.rebound.testing.TestProxy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyServerLifecycleTest {

    @Test
    void closingAProxyASecondTimeReturnsAtOnce() throws Exception {
        try (TestBackend backend = TestBackend.start("apache1")) {
            TestProxy proxy = TestProxy.start(List.of(backend), "");
            ProxyServer server = proxy.server();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                server.close(Duration.ofMillis(100));
                server.close(Duration.ofMillis(100));
                proxy.close();
            });
            assertFalse(server.isStarted());
        }
    }
}

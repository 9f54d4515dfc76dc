package io.rebound.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rebound.testing.Http;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;

class DemoBackendsTest {

    /** Three consecutive free ports: found by binding and releasing, then bound by the backends. */
    private static int freeConsecutivePorts(int count) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                first = probe.getLocalPort();
            }
            if (first + count > 65535) {
                continue;
            }
            boolean free = true;
            for (int i = 1; i < count && free; i++) {
                try (ServerSocket next = new ServerSocket(first + i, 1, InetAddress.getLoopbackAddress())) {
                    free = next.getLocalPort() == first + i;
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports found");
    }

    @Test
    void eachBackendAnswersThisIsApacheWithItsNumber() throws IOException {
        int first = freeConsecutivePorts(3);
        try (DemoBackends backends = DemoBackends.start("127.0.0.1", first, 3)) {
            for (int i = 1; i <= 3; i++) {
                assertEquals("This is apache" + i + "\n",
                        Http.get(URI.create("http://127.0.0.1:" + (first + i - 1) + "/")).body());
            }
            assertEquals(3, backends.ports().size());
        }
    }

    @Test
    void aPortInUseFailsClearlyAndStopsWhatWasStarted() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> DemoBackends.start("127.0.0.1", taken.getLocalPort() - 1, 2));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(":" + taken.getLocalPort()),
                    e.getMessage());
        }
    }
}

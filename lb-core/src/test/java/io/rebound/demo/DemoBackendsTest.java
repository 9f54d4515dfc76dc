package io.rebound.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.testing.Http;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;

class DemoBackendsTest {

    @Test
    void eachBackendAnswersThisIsApacheWithItsNumber() throws IOException {
        int first = DemoBackends.freeConsecutivePorts(3);
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
        int first = DemoBackends.freeConsecutivePorts(2);
        try (ServerSocket taken = new ServerSocket(first + 1, 1, InetAddress.getLoopbackAddress())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> DemoBackends.start("127.0.0.1", first, 2));
            assertTrue(e.getMessage().contains("127.0.0.1:" + (first + 1)), e.getMessage());
        }
        try (ServerSocket released = new ServerSocket(first, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(first, released.getLocalPort(), "the backend started before the failure was stopped");
        }
    }
}

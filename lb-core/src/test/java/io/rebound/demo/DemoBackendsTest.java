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
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> DemoBackends.start("127.0.0.1", taken.getLocalPort() - 1, 2));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(":" + taken.getLocalPort()),
                    e.getMessage());
        }
    }
}

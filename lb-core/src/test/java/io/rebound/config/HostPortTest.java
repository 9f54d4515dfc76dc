package io.rebound.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void aHostAndPortAreParsed() {
        assertEquals(new HostPort("10.0.0.11", 80), HostPort.parse("10.0.0.11:80"));
    }

    @Test
    void aStarOrAnEmptyHostMeansEveryAddressAsHaproxyBindDoes() {
        assertEquals(new HostPort("0.0.0.0", 80), HostPort.parse("*:80"));
        assertEquals(new HostPort("0.0.0.0", 80), HostPort.parse(":80"));
    }

    @Test
    void anIpv6AddressNeedsBracketsAndIsPrintedWithThem() {
        HostPort address = HostPort.parse("[::1]:8080");
        assertEquals("::1", address.host());
        assertEquals("[::1]:8080", address.toString());
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("::1:8080"));
    }

    @Test
    void aMissingOrInvalidPortIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("localhost"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("localhost:http"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("localhost:65536"));
    }
}

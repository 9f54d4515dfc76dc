package io.rebound.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.config.HostPort;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Host and Origin rules of {@link AdminAccess}, as pure functions; AdminListenerAccessTest has the sockets. */
class AdminAccessTest {
    private static final int PORT = 8404;
    private static final AdminAccess LOOPBACK = access("127.0.0.1", Optional.empty());
    private static final AdminAccess WILDCARD = access("0.0.0.0", Optional.of("rebound-host"));

    @Test
    void aLoopbackListenerTakesLoopbackNamesWithItsPortOrNone() {
        for (String host : List.of("127.0.0.1:8404", "127.0.0.1", "localhost:8404", "LOCALHOST", "127.0.0.2:8404",
                "127.255.255.254", "[::1]:8404", "[::1]", "[0:0:0:0:0:0:0:1]:8404")) {
            assertTrue(LOOPBACK.allowsHost(host, PORT), host);
        }
    }

    @Test
    void aLoopbackListenerRefusesOtherNamesOtherPortsAndAnythingUnusual() {
        for (String host : List.of("evil.example:8404", "evil.example", "localhost:8405", "127.0.0.1:80",
                "10.0.0.1:8404", "localhost.evil.example:8404", "127.0.0.1.evil.example", "[::1", "a b:8404",
                "localhost:", "localhost:99999", "[::1%lo]:8404", "", "localhost:8404/x")) {
            assertFalse(LOOPBACK.allowsHost(host, PORT), host);
        }
    }

    @Test
    void aListenerTakesItsOwnAddressWithItsPort_orWithoutOneOnlyOnPort80() {
        AdminAccess named = access("admin.internal", Optional.empty());
        AdminAccess literal = access("10.0.0.5", Optional.empty());

        assertTrue(named.allowsHost("admin.internal:8404", PORT));
        assertTrue(named.allowsHost("Admin.Internal:8404", PORT));
        assertTrue(literal.allowsHost("10.0.0.5:8404", PORT));
        assertFalse(literal.allowsHost("10.0.0.6:8404", PORT));
        assertFalse(literal.allowsHost("10.0.0.5", PORT));
        assertTrue(literal.allowsHost("10.0.0.5", 80));
        assertTrue(literal.allowsHost("10.0.0.5:80", 80));
        assertTrue(access("::1", Optional.empty()).allowsHost("[::1]:8404", PORT));
    }

    @Test
    void aWildcardListenerTakesIpLiteralsLoopbackNamesAndTheMachinesName_butNoOtherDnsName() {
        for (String host : List.of("10.1.2.3:8404", "192.168.0.7:8404", "[2001:db8::1]:8404", "localhost:8404",
                "127.0.0.1", "rebound-host:8404", "REBOUND-HOST:8404")) {
            assertTrue(WILDCARD.allowsHost(host, PORT), host);
        }
        for (String host : List.of("evil.example:8404", "rebound-host.evil.example:8404", "10.1.2.3:9999",
                "10.1.2.3")) {
            assertFalse(WILDCARD.allowsHost(host, PORT), host);
        }
        assertTrue(AdminAccess.isWildcard(HostPort.parse("*:8404")));
        assertTrue(AdminAccess.isWildcard(HostPort.parse("[::]:8404")));
    }

    @Test
    void aRequestWithoutHostIsTakenOnlyByALoopbackListener() {
        assertTrue(LOOPBACK.allowsHost(null, PORT));
        assertTrue(access("localhost", Optional.empty()).allowsHost(null, PORT));
        assertFalse(WILDCARD.allowsHost(null, PORT));
        assertFalse(access("10.0.0.5", Optional.empty()).allowsHost(null, PORT));
    }

    @Test
    void anOriginMustBeAPageOfAnAcceptedHostOnTheListenersPort() {
        for (String origin : List.of("http://127.0.0.1:8404", "http://localhost:8404", "http://[::1]:8404",
                "HTTP://LOCALHOST:8404")) {
            assertTrue(LOOPBACK.allowsOrigin(origin, PORT), origin);
        }
        for (String origin : List.of("http://evil.example", "http://evil.example:8404", "http://localhost",
                "http://localhost:3000", "https://localhost", "null", "file://", "chrome-extension://abc",
                "http://localhost:8404/path", "")) {
            assertFalse(LOOPBACK.allowsOrigin(origin, PORT), origin);
        }
        assertTrue(access("127.0.0.1", Optional.empty()).allowsOrigin("http://localhost", 80));
    }

    @Test
    void loopbackIsLoopbackNamesAndAddressesOnly() {
        for (String bind : List.of("127.0.0.1:8404", "127.1.2.3:8404", "localhost:8404", "[::1]:8404")) {
            assertTrue(AdminAccess.isLoopback(HostPort.parse(bind)), bind);
        }
        for (String bind : List.of("*:8404", "10.0.0.5:8404", "admin.internal:8404", "[::]:8404")) {
            assertFalse(AdminAccess.isLoopback(HostPort.parse(bind)), bind);
        }
    }

    @Test
    void aTokenMatchesOnlyItself_andNeverShowsItsText() {
        AdminToken token = AdminToken.of("s3cret-token");

        assertTrue(token.matches("s3cret-token"));
        assertFalse(token.matches("s3cret-tokeN"));
        assertFalse(token.matches(""));
        assertFalse(token.matches(null));
        assertEquals("Bearer s3cret-token", token.authorization());
        assertFalse(token.toString().contains("s3cret"), token.toString());
        assertEquals(AdminToken.of("s3cret-token"), token);
    }

    private static AdminAccess access(String host, Optional<String> machineName) {
        return new AdminAccess(new HostPort(host, PORT), Optional.empty(), machineName);
    }
}

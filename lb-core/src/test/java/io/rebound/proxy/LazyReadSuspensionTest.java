package io.rebound.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xnio.conduits.ReadReadyHandler;
import org.xnio.conduits.StreamSourceConduit;

/** {@link LazyReadSuspension} over a socket conduit that records what reaches it (each call a selector update). */
class LazyReadSuspensionTest {
    private final List<String> socketCalls = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private boolean socketResumed;
    private final LazyReadSuspension lazy = LazyReadSuspension.over(socket(), new ReadReadyHandler() {
        @Override
        public void readReady() {
            events.add("readReady");
        }

        @Override
        public void forceTermination() {
            events.add("forceTermination");
        }

        @Override
        public void terminated() {
            events.add("terminated");
        }
    });

    @Test
    void aSuspendAndResumeAroundARequestNeverReachTheSocket() {
        lazy.resumeReads();
        socketCalls.clear();
        for (int request = 0; request < 3; request++) {
            lazy.suspendReads(); // Undertow: the request head is whole
            assertFalse(lazy.isReadResumed());
            lazy.resumeReads(); // Undertow: the exchange ended
            assertTrue(lazy.isReadResumed());
        }
        assertEquals(List.of(), socketCalls);
        assertTrue(socketResumed);
    }

    @Test
    void aReadEventWhileSuspendedIsSwallowedAndSuspendsTheSocketOnce() {
        lazy.resumeReads();
        lazy.suspendReads();
        socketCalls.clear();
        lazy.readReady(); // a pipelined request or a FIN arrives while the response is on its way
        assertEquals(List.of(), events);
        assertEquals(List.of("suspendReads"), socketCalls);
        assertFalse(socketResumed);
        lazy.resumeReads();
        assertEquals(List.of("suspendReads", "resumeReads"), socketCalls);
        lazy.readReady(); // level-triggered: the selector reports it again once resumed
        assertEquals(List.of("readReady"), events);
    }

    @Test
    void readEventsPassWhileResumedAndWakeupReachesTheSocket() {
        lazy.resumeReads();
        lazy.readReady();
        lazy.suspendReads();
        lazy.wakeupReads();
        assertEquals(List.of("readReady"), events);
        assertEquals(List.of("resumeReads", "wakeupReads"), socketCalls);
        assertTrue(lazy.isReadResumed());
    }

    @Test
    void terminationReachesTheHandlerWhateverTheSuspension() {
        lazy.suspendReads();
        lazy.forceTermination();
        lazy.terminated();
        assertEquals(List.of("forceTermination", "terminated"), events);
    }

    private StreamSourceConduit socket() {
        return (StreamSourceConduit) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {StreamSourceConduit.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "resumeReads", "wakeupReads" -> {
                        socketCalls.add(method.getName());
                        socketResumed = true;
                        yield null;
                    }
                    case "suspendReads" -> {
                        socketCalls.add(method.getName());
                        socketResumed = false;
                        yield null;
                    }
                    case "isReadResumed" -> socketResumed;
                    case "setReadReadyHandler" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}

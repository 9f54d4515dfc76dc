package io.rebound.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Sends a signal with kill(1), for the signals Java cannot send (SIGINT, SIGSTOP). */
public final class SignalSender {

    private SignalSender() {
    }

    public static void send(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -" + signal + " finished");
        assertEquals(0, kill.exitValue(), "kill -" + signal + " " + pid);
    }
}

package io.rebound.proxy;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.Charset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening socket the supervisor passes on standard input ({@code --supervised-by}), taken with
 * {@link System#inheritedChannel()}. When that channel is closed (when the proxy stops accepting), the JDK also points
 * descriptors 0, 1 and 2 at /dev/null; so standard output and error, the pipes to the supervisor's log, are first
 * reopened on descriptors of their own through /dev/fd (/proc/self/fd on Linux), and the last log lines of a stop
 * still reach the supervisor. Where that is not possible the proxy serves anyway, warning that those lines are lost.
 */
final class InheritedListener {
    private static final Logger log = LoggerFactory.getLogger(InheritedListener.class);

    private InheritedListener() {
    }

    /** @throws IOException when standard input is not a listening socket */
    static ServerSocketChannel take() throws IOException {
        Channel inherited = System.inheritedChannel();
        if (!(inherited instanceof ServerSocketChannel socket) || socket.getLocalAddress() == null) {
            throw new IOException("standard input is not a listening socket but " + (inherited == null
                    ? "no socket" : inherited) + "; only the supervisor starts the proxy this way");
        }
        try {
            PrintStream out = reopened(1, System.out);
            PrintStream err = reopened(2, System.err);
            System.setOut(out);
            System.setErr(err);
        } catch (IOException e) {
            log.warn("Cannot reopen standard output and error ({}); the log lines after the proxy stops accepting "
                    + "will not reach the supervisor", e.getMessage());
        }
        return socket;
    }

    private static PrintStream reopened(int descriptor, PrintStream current) throws IOException {
        current.flush();
        // Logback writes encoded bytes; the charset only matters for the rare println of a String.
        return new PrintStream(new FileOutputStream("/dev/fd/" + descriptor), true, Charset.defaultCharset());
    }
}

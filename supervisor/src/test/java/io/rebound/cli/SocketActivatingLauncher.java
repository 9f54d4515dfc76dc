package io.rebound.cli;

import io.rebound.config.HostPort;
import io.rebound.supervisor.SharedListener;
import java.util.Arrays;
import java.util.List;

/**
 * What systemd does for a socket-activated service with {@code StandardInput=socket}, as a test process: binds
 * 127.0.0.1:PORT, puts the listening socket on standard input and runs COMMAND with it (its output is this process's),
 * then exits with COMMAND's exit code. Arguments: PORT COMMAND...
 */
public final class SocketActivatingLauncher {
    private SocketActivatingLauncher() {
    }

    public static void main(String[] args) throws Exception {
        SharedListener.bind(new HostPort("127.0.0.1", Integer.parseInt(args[0])));
        List<String> command = Arrays.asList(args).subList(1, args.length);
        Process service = new ProcessBuilder(command).inheritIO().start();
        System.exit(service.waitFor());
    }
}

package io.rebound.demo;

import io.rebound.config.ExitCodes;
import java.util.concurrent.CountDownLatch;

/**
 * {@code DemoBackendsMain [HOST FIRST_PORT COUNT]}: the demo backends alone, in a process of their own, until SIGTERM
 * (default 127.0.0.1 8081 3, where {@code rebound-demo.conf} expects them). For setups where the proxy runs
 * elsewhere, such as the systemd drill and benchmarks, where one backend process must be killable on its own.
 */
public final class DemoBackendsMain {

    private DemoBackendsMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 0 && args.length != 3) {
            System.err.println("usage: DemoBackendsMain [HOST FIRST_PORT COUNT]");
            System.exit(ExitCodes.USAGE);
        }
        String host = args.length == 3 ? args[0] : DemoMain.BACKEND_HOST;
        int firstPort;
        int count;
        try {
            firstPort = args.length == 3 ? Integer.parseInt(args[1]) : DemoMain.FIRST_BACKEND_PORT;
            count = args.length == 3 ? Integer.parseInt(args[2]) : DemoMain.BACKEND_COUNT;
        } catch (NumberFormatException e) {
            System.err.println("DemoBackendsMain: FIRST_PORT and COUNT must be numbers: " + e.getMessage());
            System.exit(ExitCodes.USAGE);
            return;
        }
        DemoBackends backends;
        try {
            backends = DemoBackends.start(host, firstPort, count);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(ExitCodes.FAILURE);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            backends.close();
            stopped.countDown();
        }, "demo-backends-stop"));
        System.out.println("Demo backends on " + host + " ports " + backends.ports());
        stopped.await();
    }
}

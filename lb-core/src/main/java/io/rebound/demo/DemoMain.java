package io.rebound.demo;

import io.rebound.config.ConfigException;
import io.rebound.config.ConfigFiles;
import io.rebound.config.ExitCodes;
import io.rebound.proxy.ProxyMain;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The demo in one JVM: three demo backends on 127.0.0.1:8081-8083 and the proxy on 127.0.0.1:8080 in front of them,
 * configured by the class path resource {@code rebound-demo.conf}. {@code curl localhost:8080} three times prints
 * apache1, apache2, apache3. Stops on SIGTERM/Ctrl-C like the proxy.
 */
public final class DemoMain {
    /** The demo configuration, a class path resource so that every module can start the same demo. */
    public static final String DEMO_CONFIG = "rebound-demo.conf";
    public static final String BACKEND_HOST = "127.0.0.1";
    public static final int FIRST_BACKEND_PORT = 8081;
    public static final int BACKEND_COUNT = 3;

    private DemoMain() {
    }

    public static void main(String[] args) throws IOException {
        Path config = demoConfigFile();
        try (DemoBackends backends = DemoBackends.start(BACKEND_HOST, FIRST_BACKEND_PORT, BACKEND_COUNT)) {
            int code = ProxyMain.run(new String[] {"--config", config.toString()});
            backends.close();
            System.exit(code);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(ExitCodes.FAILURE);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(ExitCodes.CONFIG);
        }
    }

    /** Copies {@link #DEMO_CONFIG} to a temporary file, since the proxy reads its configuration from a file. */
    public static Path demoConfigFile() throws IOException {
        Path file = Files.createTempFile("rebound-demo", ".conf");
        file.toFile().deleteOnExit();
        try (InputStream in = DemoMain.class.getClassLoader().getResourceAsStream(DEMO_CONFIG)) {
            if (in == null) {
                throw new IOException(DEMO_CONFIG + " is missing from the class path");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        ConfigFiles.load(file);
        return file;
    }
}

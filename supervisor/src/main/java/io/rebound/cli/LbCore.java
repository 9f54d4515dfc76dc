package io.rebound.cli;

import io.rebound.config.ConfigException;
import io.rebound.config.ConfigProblem;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The three entry points of lb-core the command line calls: {@code io.rebound.proxy.ProxyMain.main},
 * {@code ProxyMain.checkConfig(Path)} and {@code io.rebound.demo.DemoBackends.start(String, int, int)}. They are
 * called by name because they were written in parallel with this module; once both are merged these can become
 * plain calls. Kept in this one class so that change is small.
 */
final class LbCore {
    static final String PROXY_MAIN = "io.rebound.proxy.ProxyMain";
    static final String DEMO_BACKENDS = "io.rebound.demo.DemoBackends";

    private LbCore() {
    }

    /** Thrown when lb-core on the class path lacks the entry point. */
    static final class Missing extends Exception {
        private static final long serialVersionUID = 1L;

        Missing(String what, Throwable cause) {
            super(what + " is not on the class path (" + cause + ")", cause);
        }
    }

    /** Runs the proxy in this process, as {@code ProxyMain.main(args)}. */
    static void proxyMain(String[] args) throws Missing {
        invoke(method(PROXY_MAIN, "main", String[].class), (Object) args);
    }

    /**
     * The problems {@code ProxyMain.checkConfig(file)} finds in the proxy's part of the configuration: the ones it
     * throws as a {@link ConfigException}, or returns as a list.
     */
    static List<ConfigProblem> proxyConfigProblems(Path file) throws Missing {
        try {
            Object result = invoke(method(PROXY_MAIN, "checkConfig", Path.class), file);
            List<ConfigProblem> problems = new ArrayList<>();
            if (result instanceof List<?> list) {
                for (Object element : list) {
                    if (element instanceof ConfigProblem problem) {
                        problems.add(problem);
                    }
                }
            }
            return problems;
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    /** Starts the demo backends, {@code DemoBackends.start(host, firstPort, count)}; closes what it returns later. */
    static AutoCloseable startDemoBackends(String host, int firstPort, int count) throws Missing {
        Object backends = invoke(method(DEMO_BACKENDS, "start", String.class, int.class, int.class),
                host, firstPort, count);
        if (backends instanceof AutoCloseable closeable) {
            return closeable;
        }
        return () -> { };
    }

    private static Method method(String className, String name, Class<?>... parameterTypes) throws Missing {
        try {
            return Class.forName(className).getMethod(name, parameterTypes);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw new Missing(className + "." + name, e);
        }
    }

    private static Object invoke(Method method, Object... args) {
        try {
            return method.invoke(null, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(method + " failed", cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(method + " is not public", e);
        }
    }
}

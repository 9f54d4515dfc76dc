package io.rebound.supervisor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Children the supervisor no longer counts on (replaced by a reload, a standby set aside, a new proxy that failed, all
 * children during a stop): draining after SIGTERM (SIGKILL after the stop timeout) or killed. Only their end is awaited.
 */
final class RetiredChildren {
    private static final Logger log = LoggerFactory.getLogger(RetiredChildren.class);

    private final Map<Long, ChildLifecycle> children = new LinkedHashMap<>();

    /** Retires {@code child}: SIGTERM, or SIGKILL with {@code killNow}. */
    void retire(ChildLifecycle child, boolean killNow, String why) {
        child.becomes(Role.RETIRED, why);
        if (killNow) {
            child.kill(null, why);
        } else {
            child.terminate(why);
        }
        children.put(child.launch(), child);
    }

    void ended(ChildLifecycle child) {
        children.remove(child.launch());
        log.info("Retired pid {} ended with {}", child.pid(), child.exit().describe());
    }

    boolean isEmpty() {
        return children.isEmpty();
    }

    List<Long> pids() {
        return children.values().stream().map(ChildLifecycle::pid).toList();
    }
}

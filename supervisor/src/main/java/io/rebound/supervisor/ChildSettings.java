package io.rebound.supervisor;

import io.rebound.admin.AdminSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the supervisor needs to know of its proxy child: how to start it and, from the proxy's part of the
 * configuration, where its health endpoints answer and how long it drains.
 *
 * @param jvmOptions JVM options of the child ({@code rebound.supervisor.child-jvm-options})
 * @param admin the child's admin listener, probed for /health/* with its token ({@code rebound.admin})
 * @param drainTimeout the child's drain on SIGTERM ({@code rebound.drain-timeout})
 */
public record ChildSettings(List<String> jvmOptions, AdminSettings admin, Duration drainTimeout) {

    public ChildSettings {
        jvmOptions = List.copyOf(jvmOptions);
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
    }
}

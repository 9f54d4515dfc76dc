package io.rebound.check;

import io.rebound.balance.Server;
import java.util.Optional;

/** What the checker knows about one server at one moment, for {@code /servers}. Immutable. */
public record ServerHealth(Server server, boolean checked, boolean up, Optional<CheckResult> lastCheck,
                           int consecutiveSuccesses, int consecutiveFailures) {
}

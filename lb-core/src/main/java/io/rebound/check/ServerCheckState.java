package io.rebound.check;

import io.rebound.balance.Server;
import java.util.Optional;

/** The check state of one server; changed only by {@link HealthChecker}, under this object's lock. */
final class ServerCheckState {
    final Server server;
    private Health health;
    private CheckResult last;
    private int successes;
    private int failures;

    ServerCheckState(Server server, Health initial) {
        this.server = server;
        this.health = initial;
    }

    /** Records a result; returns true when it changed the server's up/down state. */
    synchronized boolean record(CheckResult result) {
        boolean wasUp = health.isUp();
        health = result.passed() ? health.pass() : health.fail();
        last = result;
        successes = result.passed() ? successes + 1 : 0;
        failures = result.passed() ? 0 : failures + 1;
        return wasUp != health.isUp();
    }

    /** Starts over after an address change: down, and up only after {@code rise} passes on the new address. */
    synchronized void restart(Health downForRise) {
        health = downForRise;
        last = null;
        successes = 0;
        failures = 0;
    }

    synchronized boolean isUp() {
        return health.isUp();
    }

    synchronized ServerHealth snapshot() {
        return new ServerHealth(server, true, health.isUp(), Optional.ofNullable(last), successes, failures);
    }
}

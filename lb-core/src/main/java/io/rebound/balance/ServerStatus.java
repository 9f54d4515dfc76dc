package io.rebound.balance;

/**
 * What a server is, all told, as HAProxy's Prometheus state set shows it: MAINT (set by the operator, not checked), DOWN
 * (its checks fail or it has no address), DRAIN (up, but set to take no new requests), UP.
 */
public enum ServerStatus {
    UP, DOWN, DRAIN, MAINT;

    /** The status of a server in {@code state} whose checks say {@code healthy}; MAINT wins, then DOWN. */
    public static ServerStatus of(ServerState state, boolean healthy) {
        if (state == ServerState.MAINT) {
            return MAINT;
        }
        if (!healthy) {
            return DOWN;
        }
        return state == ServerState.DRAIN ? DRAIN : UP;
    }
}

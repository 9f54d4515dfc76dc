package io.rebound.balance;

import java.util.Locale;

/**
 * What the operator set for a server at run time (HAProxy: {@code set server be/apache2 state ready|drain|maint}):
 * READY takes requests while its checks pass; DRAIN takes no new requests while those in flight and its pooled
 * connections finish, and its checks go on; MAINT takes no requests and is not checked.
 */
public enum ServerState {
    READY, DRAIN, MAINT;

    /**
     * The state named {@code text} (any case, surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the states expected
     */
    public static ServerState parse(String text) {
        String word = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (ServerState state : values()) {
            if (state.word().equals(word)) {
                return state;
            }
        }
        throw new IllegalArgumentException("state: '" + (text == null ? "" : text.strip())
                + "' (expected: ready, drain or maint)");
    }

    /** The word operators type and the JSON carries: ready, drain, maint. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}

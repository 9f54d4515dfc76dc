package io.rebound.supervisor;

/** What a child is for, as its log lines name it. A child's role changes when it is promoted or retired. */
enum Role {
    /** The proxy the supervisor keeps running. */
    MAIN("main proxy"),
    /** The new proxy of a reload, starting beside the main one with the configuration as it is now. */
    SUCCESSOR("reload's new proxy"),
    /** The warm standby, serving the same socket beside the main proxy. */
    STANDBY("standby proxy"),
    /** Replaced or stopped: draining after SIGTERM, or killed; only its end is awaited. */
    RETIRED("retired proxy");

    private final String label;

    Role(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}

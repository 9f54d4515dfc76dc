package io.rebound.proxy;

/** Receives a server connection from a {@link ServerConnectionPool}, or the reason there is none. */
interface ConnectionCallback {

    void connected(PooledServerConnection connection);

    /** @param reason what an operator reads: "connection refused", "connect timeout", "queue full" */
    void failed(String reason);
}

package io.rebound.proxy;

import io.undertow.client.ClientConnection;

/** Receives a server connection from a {@link ServerConnectionPool}, or the reason there is none. */
interface ConnectionCallback {

    void connected(ClientConnection connection);

    /** @param reason what an operator reads: "connection refused", "connect timeout", "queue full" */
    void failed(String reason);
}

package io.rebound.proxy;

/**
 * {@code rebound.limits}: what one client, and all of them together, may make the proxy hold with request heads. The
 * memory they bound is stated in the README ("Limits").
 *
 * @param clientConnections client connections open at once; past it new ones wait in the listen backlog
 * @param requestLine longest request line, in bytes (414)
 * @param headerField longest header field line, in bytes (431)
 * @param headerFields most header fields in one request (431)
 * @param requestHead largest whole request head, in bytes (400, as Undertow's parser answers)
 * @param unfinishedHeads bytes of request heads still arriving, over all connections; a connection whose head would
 *        pass it is closed
 */
public record ClientLimits(int clientConnections, int requestLine, int headerField, int headerFields, int requestHead,
                           long unfinishedHeads) {
}

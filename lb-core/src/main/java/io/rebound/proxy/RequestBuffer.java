package io.rebound.proxy;

/**
 * {@code rebound.request-buffer}: request bodies read before a server is chosen.
 *
 * @param size body bytes of one request read before a server is chosen; 0 streams every body at once
 * @param total body bytes buffered at once over all requests
 */
public record RequestBuffer(int size, long total) {
}

package io.rebound.supervisor.admin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A request to an admin listener on loopback written byte for byte (so that a test controls Host, Origin and the body
 * exactly), on a connection of its own that it asks to close, and the helpers to read the answer.
 */
final class RawAdminRequest {

    private RawAdminRequest() {
    }

    /**
     * Sends {@code request} (a head without its blank line, then, after {@code \r\n\r\n}, a body) to {@code port} with
     * {@code Connection: close}, and reads until the listener closes the connection.
     */
    static String send(int port, String request) throws IOException {
        int headEnd = request.indexOf("\r\n\r\n");
        String head = headEnd < 0 ? request : request.substring(0, headEnd + 2);
        String body = headEnd < 0 ? "" : request.substring(headEnd + 4);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "Connection: close\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The body of a whole response. */
    static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    /** A JSON body as a {@link Config}, to read its fields by path. */
    static Config json(String body) {
        return ConfigFactory.parseString(body, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
    }
}

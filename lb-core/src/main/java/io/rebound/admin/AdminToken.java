package io.rebound.admin;

import io.rebound.config.ConfigReader;
import io.rebound.config.HostPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The bearer token of an admin listener: the trimmed content of the file {@code <admin>.token-file} names. Its text
 * appears in no {@code toString} and no message; requests are compared with it in constant time.
 */
public final class AdminToken {
    /** RFC 6750's token characters are a subset; anything visible without spaces keeps the header unambiguous. */
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\x21-\\x7E]+");

    private final Path file;
    private final String value;
    private final byte[] digest;

    private AdminToken(Path file, String value) {
        this.file = Objects.requireNonNull(file, "file");
        this.value = Objects.requireNonNull(value, "value");
        this.digest = sha256(value);
    }

    /** A token given as text (tests, tools). */
    public static AdminToken of(String value) {
        return new AdminToken(Path.of("(given)"), value);
    }

    /**
     * Reads {@code <adminKey>.token-file} for the listener of {@code <adminKey>.bind}, which was read as {@code bind}.
     * Records a problem for a file that cannot be read, is empty or holds more than one token, and for a listener
     * bound to another address than loopback without a token.
     *
     * @return the token, or empty when none is set (or it is invalid: see the reader's problems)
     */
    public static Optional<AdminToken> read(ConfigReader reader, String adminKey, HostPort bind) {
        String key = adminKey + ".token-file";
        String bindKey = adminKey + ".bind";
        String text = reader.string(key);
        if (text.isEmpty()) {
            boolean bindValid = reader.problems().stream().noneMatch(problem -> problem.path().equals(bindKey));
            if (bindValid && !AdminAccess.isLoopback(bind)) {
                reader.problem(bindKey, bind.toString(), "a loopback address such as 127.0.0.1:" + bind.port()
                        + " while " + key + " is not set: an admin listener on any other address needs a token");
            }
            return Optional.empty();
        }
        Path file;
        try {
            file = Path.of(text);
        } catch (InvalidPathException e) {
            file = Path.of("");
        }
        if (!file.isAbsolute()) {
            reader.problem(key, text,
                    "the absolute path of a file holding the token, such as /etc/rebound/admin.token");
            return Optional.empty();
        }
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            reader.problem(key, text, "a readable file holding the token (" + e.getClass().getSimpleName() + ")");
            return Optional.empty();
        }
        if (token.isEmpty()) {
            reader.problem(key, text, "a file holding the token; this one is empty");
            return Optional.empty();
        }
        if (!VISIBLE_ASCII.matcher(token).matches()) {
            reader.problem(key, text, "a file holding one token of visible ASCII characters without spaces, such as "
                    + "the output of `openssl rand -hex 32`");
            return Optional.empty();
        }
        return Optional.of(new AdminToken(file, token));
    }

    /** Whether {@code presented} is this token; takes the same time whatever it is (digests of equal length). */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    /** The value of the {@code Authorization} header that carries this token. */
    public String authorization() {
        return "Bearer " + value;
    }

    /** The file the token was read from. */
    public Path file() {
        return file;
    }

    /** Equal tokens have equal text, wherever they were read from: what a listener compares. */
    @Override
    public boolean equals(Object other) {
        return other instanceof AdminToken token && MessageDigest.isEqual(digest, token.digest);
    }

    @Override
    public int hashCode() {
        return digest[0] << 24 | (digest[1] & 0xff) << 16 | (digest[2] & 0xff) << 8 | (digest[3] & 0xff);
    }

    /** Never the token itself: settings are logged and compared in messages. */
    @Override
    public String toString() {
        return "token from " + file;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}

package io.rebound.http;

import java.util.List;

/**
 * Judges a request's {@code Transfer-Encoding} lines (RFC 9112 6.1): the only coding a proxy can frame a request body
 * by is {@code chunked}, once and last. Undertow takes any value other than {@code identity} for chunked and forwards
 * the header as it came, so a server that reads {@code xchunked} or {@code chunked, identity} otherwise would take
 * the body for something else: the way to smuggle a request.
 */
public final class TransferCoding {

    /** What a request's Transfer-Encoding means for the proxy. */
    public enum Verdict {
        /** No Transfer-Encoding. */
        ABSENT,
        /** Exactly {@code chunked} (any case). */
        CHUNKED,
        /** A valid list of codings ending in chunked, with codings before it that Rebound does not decode: 501. */
        UNSUPPORTED,
        /** Anything else: 400. */
        INVALID
    }

    private TransferCoding() {
    }

    /** @param lines every Transfer-Encoding line of the request, in order (empty when none) */
    public static Verdict of(List<String> lines) {
        if (lines.isEmpty()) {
            return Verdict.ABSENT;
        }
        StringBuilder joined = new StringBuilder();
        for (String line : lines) {
            if (joined.length() > 0) {
                joined.append(',');
            }
            joined.append(line);
        }
        String[] codings = joined.toString().split(",", -1);
        int chunked = 0;
        for (int i = 0; i < codings.length; i++) {
            String coding = trimSpaces(codings[i]);
            if (coding.isEmpty() || !isToken(coding)) {
                return Verdict.INVALID;
            }
            if (coding.equalsIgnoreCase("chunked")) {
                chunked++;
                if (i != codings.length - 1) {
                    return Verdict.INVALID;
                }
            }
        }
        if (chunked != 1) {
            return Verdict.INVALID;
        }
        return codings.length == 1 ? Verdict.CHUNKED : Verdict.UNSUPPORTED;
    }

    private static String trimSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x7e || !ChunkedFraming.isTokenByte((byte) c)) {
                return false;
            }
        }
        return true;
    }
}

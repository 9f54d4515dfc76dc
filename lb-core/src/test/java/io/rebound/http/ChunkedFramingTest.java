package io.rebound.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rebound.http.ChunkedFraming.Verdict;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChunkedFramingTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "one chunk and the last                | 5\\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "upper-case hex and an extension       | A;name=value\\r\\n0123456789\\r\\n0\\r\\n\\r\\n",
            "trailer fields                        | 3\\r\\nabc\\r\\n0\\r\\nX-Sum: 1\\r\\nX-More: 2\\r\\n\\r\\n",
            "only the last chunk                   | 0\\r\\n\\r\\n"})
    void aValidBodyIsComplete(String name, String body) {
        assertEquals(Verdict.COMPLETE, scanWhole(body), name);
        assertEquals(Verdict.COMPLETE, scanByteByByte(body), name + ", a byte at a time");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a size that is not hex                | zz\\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "a negative size                       | -1\\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "an empty size                         | \\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "a size past 2^56                      | ffffffffffffffff1\\r\\nx\\r\\n0\\r\\n\\r\\n",
            "bytes after a chunk's data            | 5\\r\\nhelloXX\\r\\n0\\r\\n\\r\\n",
            "a bad size after a good chunk         | 5\\r\\nhello\\r\\nzz\\r\\n0\\r\\n\\r\\n",
            "a bare LF after the size              | 5\\nhello\\r\\n0\\r\\n\\r\\n",
            "a CR without LF after the data        | 5\\r\\nhello\\rX0\\r\\n\\r\\n",
            "a trailer without a colon-free name   | 0\\r\\n:bad\\r\\n\\r\\n",
            "a control byte in an extension        | 5;a\\u0001\\r\\nhello\\r\\n0\\r\\n\\r\\n"})
    void anInvalidBodyIsInvalidWithAReason(String name, String body) {
        ChunkedFraming framing = new ChunkedFraming();
        assertEquals(Verdict.INVALID, framing.scan(bytes(body)), name);
        assertEquals(true, framing.problem() != null, name);
    }

    @Test
    void aBodyNotYetWholeWantsMore() {
        assertEquals(Verdict.MORE, scanWhole("5\r\nhel"));
        assertEquals(Verdict.MORE, scanWhole("5\r\nhello\r\n0\r\n"));
    }

    @Test
    void completionLeavesThePositionAtTheNextRequest() {
        ByteBuffer buffer = bytes("3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\n");
        ChunkedFraming framing = new ChunkedFraming();
        assertEquals(Verdict.COMPLETE, framing.scan(buffer));
        assertEquals("GET / HTTP/1.1\r\n", StandardCharsets.ISO_8859_1.decode(buffer).toString());
        assertEquals(3, framing.dataBytes());
    }

    private static Verdict scanWhole(String body) {
        return new ChunkedFraming().scan(bytes(body));
    }

    private static Verdict scanByteByByte(String body) {
        ChunkedFraming framing = new ChunkedFraming();
        Verdict verdict = Verdict.MORE;
        ByteBuffer all = bytes(body);
        while (all.hasRemaining()) {
            verdict = framing.scan(ByteBuffer.wrap(new byte[] {all.get()}));
        }
        return verdict;
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0001", "\u0001")
                .getBytes(StandardCharsets.ISO_8859_1));
    }
}

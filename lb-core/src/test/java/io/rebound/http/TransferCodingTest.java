package io.rebound.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rebound.http.TransferCoding.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransferCodingTest {

    @Test
    void chunkedOnceInAnyCaseIsChunked() {
        assertEquals(Verdict.CHUNKED, TransferCoding.of(List.of("chunked")));
        assertEquals(Verdict.CHUNKED, TransferCoding.of(List.of(" ChUnKeD ")));
        assertEquals(Verdict.ABSENT, TransferCoding.of(List.of()));
    }

    @Test
    void codingsBeforeChunkedAreUnsupported() {
        assertEquals(Verdict.UNSUPPORTED, TransferCoding.of(List.of("gzip, chunked")));
        assertEquals(Verdict.UNSUPPORTED, TransferCoding.of(List.of("gzip", "chunked")));
    }

    @Test
    void everythingElseIsInvalid() {
        for (String value : List.of("xchunked", ",chunked", "\"chunked\"", "chunked, identity", "identity",
                "identity, chunked, chunked", "chunked,", "chunked;q=1", "")) {
            assertEquals(Verdict.INVALID, TransferCoding.of(List.of(value)), value);
        }
        assertEquals(Verdict.INVALID, TransferCoding.of(List.of("chunked", "chunked")));
        assertEquals(Verdict.INVALID, TransferCoding.of(List.of("chunked", "identity")));
    }
}

package io.rebound.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.balance.ServerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeStateTest {
    @TempDir
    Path dir;

    @Test
    void aStateWrittenAsJson_readsBackTheSame_andAServerSetBackToReadyLeavesNoEntry() {
        RuntimeState state = RuntimeState.EMPTY
                .with(ServerRuntime.ready("apache2").withState(ServerState.DRAIN))
                .with(ServerRuntime.ready("apache3").withState(ServerState.MAINT).withWeight(50))
                .with(ServerRuntime.ready("apache1").withWeight(3))
                .with(ServerRuntime.ready("apache1"));

        RuntimeState read = RuntimeState.parse(state.toJson());

        assertEquals(state, read);
        assertEquals(4, read.generation());
        assertEquals(Set.of("apache2", "apache3"), read.servers().keySet());
        assertEquals(ServerRuntime.ready("apache1"), read.of("apache1"));
        assertEquals(OptionalInt.of(50), read.of("apache3").weight());
        assertEquals("apache2 drain, apache3 maint", read.notReady());
    }

    @Test
    void retainOnly_dropsTheServersNoLongerConfigured_inANewGeneration_andKeepsTheStateWhenNoneIsDropped() {
        RuntimeState state = RuntimeState.EMPTY.with(ServerRuntime.ready("apache2").withState(ServerState.DRAIN))
                .with(ServerRuntime.ready("old").withState(ServerState.MAINT));

        RuntimeState pruned = state.retainOnly(Set.of("apache1", "apache2"));

        assertEquals(Set.of("apache2"), pruned.servers().keySet());
        assertEquals(state.generation() + 1, pruned.generation());
        assertSame(pruned, pruned.retainOnly(Set.of("apache1", "apache2")));
    }

    @Test
    void parse_refusesWhatIsNoRuntimeState_sayingWhat() {
        for (String bad : List.of("", "[]", "{\"format\": 2, \"generation\": 1, \"servers\": []}",
                "{\"format\": 1, \"generation\": 1, \"servers\": [{\"name\": \"a\", \"state\": \"up\", \"weight\": null}]}",
                "{\"format\": 1, \"generation\": 1, \"servers\": [{\"name\": \"a\", \"state\": \"drain\", \"weight\": 0}]}",
                "{\"format\": 1, \"generation\": -1, \"servers\": []}",
                "{\"format\": 1, \"generation\": 1, \"servers\": [{\"name\": \"a\", \"state\": \"drain\", \"weight\": null},"
                        + " {\"name\": \"a\", \"state\": \"maint\", \"weight\": null}]}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RuntimeState.parse(bad),
                    bad);
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), bad);
        }
    }

    @Test
    void theFile_isReplacedWhole_leavesNoTemporaryFile_andAMissingFileIsNoState() throws Exception {
        Path file = dir.resolve("state/servers.json");
        assertEquals(Optional.empty(), RuntimeStateFile.read(file));
        RuntimeState first = RuntimeState.EMPTY.with(ServerRuntime.ready("apache2").withState(ServerState.DRAIN));
        RuntimeState second = first.with(ServerRuntime.ready("apache2").withWeight(7));

        RuntimeStateFile.write(file, first);
        RuntimeStateFile.write(file, second);

        assertEquals(Optional.of(second), RuntimeStateFile.read(file));
        try (var listing = Files.list(file.getParent())) {
            assertEquals(List.of(file), listing.toList());
        }
        assertTrue(Files.readString(file).startsWith("{\"format\": 1, \"generation\": 2"), Files.readString(file));
    }

    @Test
    void aFileInADirectoryOthersMayWriteTo_isNotRead() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Path file = shared.resolve("servers.json");
        RuntimeStateFile.write(file, RuntimeState.EMPTY.with(ServerRuntime.ready("a").withState(ServerState.MAINT)));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        IOException e = assertThrows(IOException.class, () -> RuntimeStateFile.read(file));

        assertTrue(e.getMessage().contains("that only its owner may write to"), e.getMessage());
    }

    @Test
    void serverStateWords_parseInAnyCase_andAnUnknownWordNamesTheStatesExpected() {
        assertEquals(ServerState.MAINT, ServerState.parse(" Maint\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerState.parse("down"));
        assertEquals("state: 'down' (expected: ready, drain or maint)", e.getMessage());
    }
}

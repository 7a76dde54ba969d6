package dev.pgkafka.application.service.security.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pgkafka.application.service.group.MutableClock;
import dev.pgkafka.domain.security.oauth.JsonWebKeySet;

/** A JWKS file: read at start, read again when it changes (checked at most once a second), last good kept. */
class FileJwksSourceTest {
    private static final KeyPair A = Tokens.rsa();
    private static final KeyPair B = Tokens.rsa();

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Tokens.NOW_S * 1000);

    private static List<String> kids(JsonWebKeySet set) {
        return set.keys().stream().map(k -> k.keyId().orElseThrow()).toList();
    }

    /** Writes the file with a modification time of its own, so the change shows even within a millisecond. */
    private static void write(Path file, String content, long modifiedMs) throws IOException {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedMs));
    }

    @Test
    void readsTheKeysAtStart() throws Exception {
        Path file = dir.resolve("jwks.json");
        write(file, Tokens.jwks(Tokens.jwk(A, "a")), 1_000);
        FileJwksSource source = new FileJwksSource(file, clock);
        assertEquals(List.of("a"), kids(source.keys()));
        assertEquals(file.toUri().toString(), source.location());
    }

    @Test
    void refusesToStartWithoutAUsableFile() throws Exception {
        assertTrue(assertThrows(JwksUnavailableException.class, () -> new FileJwksSource(dir.resolve("nope.json"), clock))
                .getMessage().endsWith("that doesn't exist"));
        assertTrue(assertThrows(JwksUnavailableException.class, () -> new FileJwksSource(dir, clock))
                .getMessage().contains("references a directory"));
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"keys\":");
        assertTrue(assertThrows(JwksUnavailableException.class, () -> new FileJwksSource(broken, clock))
                .getMessage().startsWith("Could not read the JWKS from "));
        Path huge = dir.resolve("huge.json");
        Files.writeString(huge, "{\"keys\":[],\"pad\":\"" + "x".repeat(JsonWebKeySet.MAX_DOCUMENT_LENGTH) + "\"}");
        assertTrue(assertThrows(JwksUnavailableException.class, () -> new FileJwksSource(huge, clock))
                .getMessage().contains("larger than"));
    }

    @Test
    void readsTheFileAgainWhenItChangesAtMostOnceASecond() throws Exception {
        Path file = dir.resolve("jwks.json");
        write(file, Tokens.jwks(Tokens.jwk(A, "a")), 1_000);
        FileJwksSource source = new FileJwksSource(file, clock);

        write(file, Tokens.jwks(Tokens.jwk(A, "a"), Tokens.jwk(B, "b")), 2_000);
        clock.advance(999);
        assertEquals(List.of("a"), kids(source.keys()), "not looked at within the second");
        clock.advance(1);
        assertEquals(List.of("a", "b"), kids(source.keys()));
        JsonWebKeySet current = source.keys();
        clock.advance(5_000);
        assertSame(current, source.keys(), "an unchanged file is not read again");
    }

    @Test
    void keepsTheLastGoodKeysWhenTheFileBreaks() throws Exception {
        Path file = dir.resolve("jwks.json");
        write(file, Tokens.jwks(Tokens.jwk(A, "a")), 1_000);
        FileJwksSource source = new FileJwksSource(file, clock);

        write(file, "{\"keys\": [", 2_000);
        clock.advance(1_000);
        assertEquals(List.of("a"), kids(source.keys()));
        Files.delete(file);
        clock.advance(1_000);
        assertEquals(List.of("a"), kids(source.keys()));
        write(file, Tokens.jwks(Tokens.jwk(B, "b")), 3_000);
        clock.advance(1_000);
        assertEquals(List.of("b"), kids(source.keys()), "a repaired file is read");
    }

    @Test
    void anUnknownKeyIdLooksAtTheFileAtOnce() throws Exception {
        Path file = dir.resolve("jwks.json");
        write(file, Tokens.jwks(Tokens.jwk(A, "a")), 1_000);
        FileJwksSource source = new FileJwksSource(file, clock);
        assertEquals(Optional.empty(), source.refreshForUnknownKey("b"), "nothing changed: no new set");

        write(file, Tokens.jwks(Tokens.jwk(B, "b")), 2_000);
        Optional<JsonWebKeySet> refreshed = source.refreshForUnknownKey("b");
        assertEquals(List.of("b"), kids(refreshed.orElseThrow()));
        assertEquals(List.of("b"), kids(source.keys()));
    }

    @Test
    void followsASymlinkSwapAsKubernetesDoesIt() throws Exception {
        Path v1 = dir.resolve("v1.json");
        Path v2 = dir.resolve("v2.json");
        write(v1, Tokens.jwks(Tokens.jwk(A, "a")), 5_000);
        write(v2, Tokens.jwks(Tokens.jwk(B, "b")), 5_000); // same time, same size class: the identity differs
        Path link = dir.resolve("jwks.json");
        Files.createSymbolicLink(link, v1);
        FileJwksSource source = new FileJwksSource(link, clock);
        assertEquals(List.of("a"), kids(source.keys()));

        Path next = dir.resolve("next");
        Files.createSymbolicLink(next, v2);
        Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        clock.advance(1_000);
        assertEquals(List.of("b"), kids(source.keys()));
    }
}

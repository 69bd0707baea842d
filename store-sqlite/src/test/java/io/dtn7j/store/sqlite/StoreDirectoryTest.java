package io.dtn7j.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void writesAPayloadFileDurablyWithExactlyTheBytesAndNoTemporaryLeftOver() throws IOException {
        byte[] bytes = new byte[300_000];
        new Random(1).nextBytes(bytes);
        try (StoreDirectory sd = StoreDirectory.open(dir)) {
            String name = sd.writeDurably(new ByteArrayInputStream(bytes), bytes.length);
            assertThat(name).hasSize(32);
            assertThat(Files.readAllBytes(sd.dataFile(name))).isEqualTo(bytes);
            assertThat(sd.dataFileSize(name)).isEqualTo(bytes.length);
            assertThat(sd.dataFile(name).getParent().getFileName().toString()).isEqualTo(name.substring(0, 2));
            try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
                assertThat(tmp).isEmpty();
            }
        }
    }

    @Test
    void aSourceShorterOrLongerThanAnnouncedIsRefusedAndLeavesNothing() throws IOException {
        try (StoreDirectory sd = StoreDirectory.open(dir)) {
            assertThatThrownBy(() -> sd.writeDurably(new ByteArrayInputStream(new byte[10]), 11))
                    .isInstanceOf(StoreDirectory.SizeMismatchException.class)
                    .hasMessageContaining("announced 11 bytes but delivered 10");
            assertThatThrownBy(() -> sd.writeDurably(new ByteArrayInputStream(new byte[12]), 11))
                    .isInstanceOf(StoreDirectory.SizeMismatchException.class);
            try (Stream<Path> all = Files.walk(dir)) {
                assertThat(all.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                        .containsExactly("store.lock");
            }
        }
    }

    @Test
    void cleanUpRemovesTemporariesAndUnreferencedFilesButKeepsReferencedOnes() throws IOException {
        try (StoreDirectory sd = StoreDirectory.open(dir)) {
            String keep = sd.writeDurably(new ByteArrayInputStream(new byte[] {1}), 1);
            String orphan = sd.writeDurably(new ByteArrayInputStream(new byte[] {2}), 1);
            Files.write(dir.resolve("tmp").resolve("half-written.tmp"), new byte[] {3});
            Files.write(sd.dataFile(keep).getParent().resolve("stray.txt"), new byte[] {4});
            assertThat(sd.cleanUp(Set.of(keep))).isEqualTo(3);
            assertThat(Files.exists(sd.dataFile(keep))).isTrue();
            assertThat(Files.exists(sd.dataFile(orphan))).isFalse();
            try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
                assertThat(tmp).isEmpty();
            }
        }
    }

    @Test
    void aDirectoryCanBeOpenedByOneStoreAtATime() throws IOException {
        try (StoreDirectory sd = StoreDirectory.open(dir)) {
            assertThatThrownBy(() -> StoreDirectory.open(dir))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("already open");
        }
        StoreDirectory.open(dir).close();
    }

    /**
     * A shard directory left by an earlier process (which may have crashed before making its entry in data/ durable)
     * is made durable by the first write into it in this process, not only when this process creates it.
     */
    @Test
    void aShardFoundExistingIsMadeDurableOnItsFirstUse() throws Exception {
        for (int i = 0; i < 256; i++) { // every shard exists already, as after a crash
            Files.createDirectories(dir.resolve("data").resolve(String.format("%02x", i)));
        }
        try (StoreDirectory sd = StoreDirectory.open(dir)) {
            String name = sd.writeDurably(new ByteArrayInputStream(new byte[] {7}), 1);
            Path shard = sd.dataFile(name).getParent();
            assertThat(sd.shardDurable(shard)).as("data/ synced for the shard " + shard.getFileName()).isTrue();
        }
    }
}

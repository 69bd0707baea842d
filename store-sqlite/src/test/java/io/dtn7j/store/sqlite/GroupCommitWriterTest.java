package io.dtn7j.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitWriterTest {

    @TempDir
    Path dir;

    private static GroupCommitWriter.Task<Void> insert(String id) {
        return new GroupCommitWriter.Task<>() {
            @Override
            Void execute(IndexDatabase.Writer writer) throws SQLException {
                writer.insert(new IndexRow(id, "dtn://dest/", 1, 3, id.getBytes(StandardCharsets.UTF_8),
                        new byte[] {1, 2, 3}, null));
                return null;
            }
        };
    }

    @Test
    void concurrentWritersShareCommitsAndEveryAcknowledgedRowIsInTheDatabase() throws Exception {
        int threads = 32;
        int perThread = 200;
        try (IndexDatabase db = IndexDatabase.open(dir.resolve("index.db"), 2);
             GroupCommitWriter writer = new GroupCommitWriter(db.writer(), 1024, "test-writer");
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int tt = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        writer.submitAndWait(insert("b-" + tt + "-" + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            assertThat(writer.tasksCommitted()).isEqualTo(threads * perThread);
            // group commit: far fewer transactions than writes
            assertThat(writer.commits()).isLessThan(threads * perThread / 2);
        }
        try (IndexDatabase db = IndexDatabase.open(dir.resolve("index.db"), 1)) {
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < perThread; i += 37) {
                    String id = "b-" + t + "-" + i;
                    boolean exists = db.read(r -> r.exists(id));
                    byte[] metadata = db.read(r -> r.metadata(id));
                    assertThat(exists).as(id).isTrue();
                    assertThat(metadata).isEqualTo(id.getBytes(StandardCharsets.UTF_8));
                }
            }
            List<IndexDatabase.SeqMetadata> all = db.read(r -> r.page(0, 100_000));
            assertThat(all).hasSize(threads * perThread);
        }
    }

    @Test
    void aDuplicateFailsAloneAndTheRestOfTheBatchCommits() throws Exception {
        try (IndexDatabase db = IndexDatabase.open(dir.resolve("index.db"), 1);
             GroupCommitWriter writer = new GroupCommitWriter(db.writer(), 1024, "test-writer")) {
            writer.submitAndWait(insert("a"));
            assertThatThrownBy(() -> writer.submitAndWait(insert("a")))
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(GroupCommitWriter.ConstraintException.class);
            writer.submitAndWait(insert("b"));
            boolean a = db.read(r -> r.exists("a"));
            boolean b = db.read(r -> r.exists("b"));
            List<IndexDatabase.SeqMetadata> all = db.read(r -> r.page(0, 10));
            assertThat(a).isTrue();
            assertThat(b).isTrue();
            assertThat(all).hasSize(2);
        }
    }

    @Test
    void aClosedWriterRefusesWork() throws Exception {
        try (IndexDatabase db = IndexDatabase.open(dir.resolve("index.db"), 1)) {
            GroupCommitWriter writer = new GroupCommitWriter(db.writer(), 16, "test-writer");
            writer.close();
            writer.close();
            assertThatThrownBy(() -> writer.submitAndWait(insert("x")))
                    .hasCauseInstanceOf(GroupCommitWriter.ClosedException.class);
        }
    }
}

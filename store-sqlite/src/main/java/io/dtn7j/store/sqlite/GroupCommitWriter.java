package io.dtn7j.store.sqlite;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single thread that writes the index: it takes every write queued since its last commit, runs
 * them in one transaction, commits (one fsync of the WAL for the whole batch) and only then completes
 * each caller's future. Callers block until their batch is durable, so many concurrent callers share
 * one fsync while each acknowledgement still follows its own fsync.
 *
 * <p>A task that violates a constraint (e.g. a duplicate ID) or throws {@link RejectedException} fails
 * alone; any other database error rolls the whole batch back and fails every task in it. A
 * {@link BatchListener} learns where batches begin and end, so that state derived from the tasks
 * (counts, sizes) is applied only when the batch committed.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GroupCommitWriter.class.getName());

    private final IndexDatabase.Writer db;
    private final BatchListener listener;
    private final int maxBatch;
    private final LinkedBlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock submitLock = new ReentrantLock();
    private final Thread thread;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong tasksCommitted = new AtomicLong();
    private final AtomicLong executeNanos = new AtomicLong();
    private final AtomicLong commitNanos = new AtomicLong();
    private boolean closed;

    GroupCommitWriter(IndexDatabase.Writer db, int maxBatch, String name) {
        this(db, BatchListener.NONE, maxBatch, name);
    }

    GroupCommitWriter(IndexDatabase.Writer db, BatchListener listener, int maxBatch, String name) {
        this.db = db;
        this.listener = listener;
        this.maxBatch = maxBatch;
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
        thread.start();
    }

    /** A unit of work for the writer thread. */
    abstract static class Task<R> {
        final CompletableFuture<R> future = new CompletableFuture<>();

        /**
         * Runs inside the batch's transaction on the writer thread.
         *
         * @throws RejectedException to fail this task alone, having changed nothing
         * @throws SQLException      to fail the whole batch (constraint violations fail this task alone)
         */
        abstract R execute(IndexDatabase.Writer writer) throws SQLException, RejectedException;

        /** Runs on the writer thread after the batch committed, before the caller is released. */
        void committed(R result) {
        }
    }

    /** Told where batches begin and end; called on the writer thread. */
    interface BatchListener {
        BatchListener NONE = new BatchListener() {
        };

        /** A batch's transaction begins. */
        default void begin() {
        }

        /** The batch committed; called before any task's {@link Task#committed} and before callers are released. */
        default void committed() {
        }

        /** The batch was rolled back; every task in it failed. */
        default void rolledBack() {
        }
    }

    /** A task refuses to run (e.g. the store is full); it fails alone and the rest of the batch goes on. */
    static final class RejectedException extends Exception {
        RejectedException(Exception reason) {
            super(reason.getMessage(), reason);
        }
    }

    /** Thrown (as the cause) when a task failed because it violated a constraint of the index. */
    static final class ConstraintException extends Exception {
        ConstraintException(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Thrown (as the cause) when the writer was closed before the task ran. */
    static final class ClosedException extends Exception {
        ClosedException() {
            super("the store is closed");
        }
    }

    private static final Task<Void> POISON = new Task<>() {
        @Override
        Void execute(IndexDatabase.Writer writer) {
            return null;
        }
    };

    /**
     * Queues a task and waits until its batch committed.
     *
     * @throws CompletionException whose cause is the task's {@link SQLException}, a
     *         {@link ConstraintException} or a {@link ClosedException}
     */
    <R> R submitAndWait(Task<R> task) {
        submitLock.lock();
        try {
            if (closed) {
                throw new CompletionException(new ClosedException());
            }
            queue.add(task);
        } finally {
            submitLock.unlock();
        }
        return task.future.join();
    }

    /** How many transactions were committed (for tests and benchmarks). */
    long commits() {
        return commits.get();
    }

    /** Time the writer spent running tasks' statements, in nanoseconds (for benchmarks). */
    long executeNanos() {
        return executeNanos.get();
    }

    /** Time the writer spent committing (the WAL fsync included), in nanoseconds (for benchmarks). */
    long commitNanos() {
        return commitNanos.get();
    }

    /** How many tasks were committed (for tests and benchmarks). */
    long tasksCommitted() {
        return tasksCommitted.get();
    }

    private void run() {
        List<Task<?>> batch = new ArrayList<>(maxBatch);
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only close() ends the writer, through the poison task
            }
            queue.drainTo(batch, maxBatch - 1);
            int poison = batch.indexOf(POISON);
            if (poison >= 0) {
                stop = true;
                batch.remove(poison);
            }
            if (!batch.isEmpty()) {
                runBatch(batch);
            }
            batch.clear();
        }
    }

    private void runBatch(List<Task<?>> batch) {
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        listener.begin();
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < batch.size(); i++) {
                try {
                    results[i] = batch.get(i).execute(db);
                } catch (SQLException e) {
                    if (isConstraintViolation(e)) {
                        failures[i] = new ConstraintException(e);
                    } else {
                        throw e;
                    }
                } catch (RejectedException e) {
                    failures[i] = e.getCause();
                }
            }
            long t1 = System.nanoTime();
            executeNanos.addAndGet(t1 - t0);
            db.commit();
            commitNanos.addAndGet(System.nanoTime() - t1);
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            listener.rolledBack();
            LOG.log(System.Logger.Level.WARNING, "index batch of " + batch.size() + " writes failed: " + e.getMessage());
            for (Task<?> t : batch) {
                t.future.completeExceptionally(e);
            }
            return;
        }
        commits.incrementAndGet();
        listener.committed();
        for (int i = 0; i < batch.size(); i++) {
            Task<?> t = batch.get(i);
            if (failures[i] != null) {
                t.future.completeExceptionally(failures[i]);
            } else {
                tasksCommitted.incrementAndGet();
                complete(t, results[i]);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <R> void complete(Task<R> task, Object result) {
        try {
            task.committed((R) result);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "after-commit step failed", e);
        }
        task.future.complete((R) result);
    }

    private static boolean isConstraintViolation(SQLException e) {
        // SQLITE_CONSTRAINT = 19; extended codes keep it in the low byte.
        return (e.getErrorCode() & 0xff) == 19
                || (e.getMessage() != null && e.getMessage().contains("SQLITE_CONSTRAINT"));
    }

    /** Lets the writer finish every queued task, then stops it. Idempotent. */
    @Override
    public void close() {
        submitLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(POISON);
        } finally {
            submitLock.unlock();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.dtn7j.core.time;

/** {@link DtnClock} over {@link System#currentTimeMillis()}. */
final class SystemDtnClock implements DtnClock {
    static final SystemDtnClock INSTANCE = new SystemDtnClock();

    private SystemDtnClock() {
    }

    @Override
    public long nowDtnMs() {
        return Math.max(0, System.currentTimeMillis() - DTN_EPOCH_UNIX_MS);
    }

    @Override
    public String toString() {
        return "SystemDtnClock";
    }
}

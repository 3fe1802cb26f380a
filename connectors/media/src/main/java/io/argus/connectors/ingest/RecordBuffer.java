package io.argus.connectors.ingest;

import io.argus.connectors.media.MediaRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The media records waiting for Kafka, per stream, each stream bounded by bytes: when a stream's
 * records would exceed its bound, its oldest are dropped and counted, so that memory stays bounded
 * however long Kafka is away, and the freshest media goes out first once it is back. Streams are
 * taken in turn, so a busy stream does not hold back a quiet one.
 */
final class RecordBuffer {

    private final long maxBytesPerStream;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final List<String> turn = new ArrayList<>();
    private int next;
    private long size;

    RecordBuffer(long maxBytesPerStream) {
        if (maxBytesPerStream < 1) {
            throw new IllegalArgumentException("buffer per stream must be positive: " + maxBytesPerStream);
        }
        this.maxBytesPerStream = maxBytesPerStream;
    }

    /** A stream's queue: its records oldest first, their bytes, and what it dropped. */
    private static final class Queue {
        final ArrayDeque<MediaRecord> records = new ArrayDeque<>();
        long bytes;
        long dropped;
    }

    /** Adds a record; drops the stream's oldest while it is over its bound (never the record just added). */
    void offer(MediaRecord r) {
        lock.lock();
        try {
            Queue q = queue(r.streamId);
            q.records.addLast(r);
            q.bytes += r.payload.length;
            size++;
            trim(q);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Puts back a record that could not be sent, ahead of its stream's others (it may then be dropped). */
    void putBack(MediaRecord r) {
        lock.lock();
        try {
            Queue q = queue(r.streamId);
            q.records.addFirst(r);
            q.bytes += r.payload.length;
            size++;
            trim(q);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The next record, streams in turn, waiting up to {@code timeoutMs}; null when none came. */
    MediaRecord poll(long timeoutMs) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (size == 0) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            for (int i = 0; i < turn.size(); i++) {
                String stream = turn.get((next + i) % turn.size());
                Queue q = queues.get(stream);
                MediaRecord r = q.records.pollFirst();
                if (r != null) {
                    q.bytes -= r.payload.length;
                    size--;
                    next = (next + i + 1) % turn.size();
                    return r;
                }
            }
            throw new IllegalStateException("buffer size " + size + " but no stream holds a record");
        } finally {
            lock.unlock();
        }
    }

    /** Records a stream dropped so far. */
    long dropped(String streamId) {
        lock.lock();
        try {
            Queue q = queues.get(streamId);
            return q == null ? 0 : q.dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Counts a record of a stream as dropped that left the buffer but could not be delivered. */
    void countDropped(String streamId) {
        lock.lock();
        try {
            queue(streamId).dropped++;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes a stream holds now. */
    long bytes(String streamId) {
        lock.lock();
        try {
            Queue q = queues.get(streamId);
            return q == null ? 0 : q.bytes;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return (int) size;
        } finally {
            lock.unlock();
        }
    }

    /** Drops a stream's oldest records while it is over its bound, keeping at least one. */
    private void trim(Queue q) {
        while (q.bytes > maxBytesPerStream && q.records.size() > 1) {
            MediaRecord old = q.records.pollFirst();
            q.bytes -= old.payload.length;
            q.dropped++;
            size--;
        }
    }

    private Queue queue(String streamId) {
        Queue q = queues.get(streamId);
        if (q == null) {
            q = new Queue();
            queues.put(streamId, q);
            turn.add(streamId);
        }
        return q;
    }
}

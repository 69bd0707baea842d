#!/usr/bin/env python3
"""Where the CPU of a measured window went, from an async-profiler collapsed-stack file.

EndToEndBenchmark --profile DIR writes one file for the agents' window (<cla>-<size>.collapsed) and one for the
raw copy's (raw-<cla>-<size>.collapsed) of the last round of each row. This sorts every sample into a few
buckets (system calls, copies, CRC, allocation, thread hand-offs, JIT, ...) so the two can be compared per MiB:

    python3 bench/scripts/cpu-breakdown.py /tmp/prof/mtcp-1048576.collapsed /tmp/prof/raw-mtcp-1048576.collapsed \
        --mib 2048

Samples are 1 ms of CPU each (the bench profiles with interval=1ms).
"""
import argparse
import collections


def bucket(frames):
    stack = ';'.join(frames)
    leaf = frames[-1]
    java = [f for f in frames if '/' in f and not f.endswith('_[k]')]
    deepest = java[-1] if java else leaf
    if 'CompileBroker' in stack:
        return 'JIT compiler threads'
    if 'Thread::call_run' in stack and 'G1' in stack:
        return 'GC threads'
    if 'SocketDispatcher.write' in stack:
        return 'socket write system calls (incl. loopback delivery)'
    if 'SocketDispatcher.read' in stack or 'Net.available' in stack:
        return 'socket read system calls'
    if 'getTemporaryDirectBuffer' in stack or 'disjoint_arraycopy' in leaf:
        return 'heap <-> direct buffer copies'
    if 'CRC32C' in leaf:
        return 'CRC-32C'
    if 'memset' in leaf or 'allocate_common' in stack:
        return 'allocation (zeroing)'
    if 'DelayScheduler' in stack:
        return 'timed parks (JDK DelayScheduler)'
    if 'EPoll' in stack or 'Poller' in stack:
        return 'virtual-thread I/O poller'
    if any(k in deepest for k in ('Unsafe.park', 'Unsafe.unpark', 'LockSupport')) or 'futex' in leaf:
        return 'park / unpark (thread hand-offs)'
    if any(k in deepest for k in ('ForkJoinPool', 'Continuation', 'VirtualThread')) \
            or 'thaw' in leaf.lower() or 'freeze' in leaf.lower() or 'StackChunk' in leaf:
        return 'virtual-thread mount / scheduling'
    return 'everything else (agent, codec, CLA logic)'


def breakdown(path):
    counts = collections.Counter()
    for line in open(path):
        stack, n = line.rsplit(' ', 1)
        counts[bucket(stack.split(';'))] += int(n)
    return counts


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('files', nargs='+', help='collapsed-stack files (one column each)')
    p.add_argument('--mib', type=float, help='MiB moved in each window: prints ms of CPU per MiB instead of samples')
    args = p.parse_args()
    columns = [breakdown(f) for f in args.files]
    names = sorted({k for c in columns for k in c}, key=lambda k: -max(c[k] for c in columns))
    unit = 'ms/MiB' if args.mib else 'samples'
    print('| bucket | ' + ' | '.join(f.rsplit('/', 1)[-1] + ' ' + unit for f in args.files) + ' |')
    print('|---|' + '---:|' * len(args.files))
    for k in names + ['total']:
        cells = []
        for c in columns:
            v = sum(c.values()) if k == 'total' else c[k]
            cells.append(f'{v / args.mib:.3f}' if args.mib else str(v))
        print(f'| {k} | ' + ' | '.join(cells) + ' |')


if __name__ == '__main__':
    main()

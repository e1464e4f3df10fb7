#!/usr/bin/env python3
"""Shares of a collapsed (folded) async-profiler recording: by part of the server, and inclusive by Tempora method.

    summarise.py FILE.collapsed [--top N]
"""
import collections
import sys

# The first rule whose text occurs in a stack names its part; the order matters (a writer stack holds SQLite frames).
PARTS = [
    ("commit writer thread", ("GroupCommitWriter.loop",)),
    ("JIT", ("CompileBroker",)),
    ("GC", ("G1", "GCTaskThread", "ConcurrentGCThread", "WorkerThread::run")),
    ("outbox queue processors", ("QueueProcessor",)),
    ("gRPC handlers", ("Calls.unary", "MessageLimitsInterceptor", "WorkflowServiceHandler")),
    ("netty event loops", ("io/grpc/netty/shaded/io/netty",)),
    ("virtual-thread scheduling, timed parks", ("DelayScheduler", "ForkJoinPool.awaitWork", "ForkJoinPool.deactivate", "VirtualThread")),
    ("cache maintenance (Caffeine)", ("caffeine",)),
]


def main():
    path = sys.argv[1]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 30
    total = 0
    parts = collections.Counter()
    methods = collections.Counter()
    for line in open(path):
        stack, _, count = line.rstrip().rpartition(" ")
        n = int(count)
        total += n
        parts[next((name for name, keys in PARTS if any(k in stack for k in keys)), "other")] += n
        for frame in set(stack.split(";")):
            if frame.startswith("io/tempora/") and "$$Lambda" not in frame:
                methods[frame] += n
    print(f"{total} samples")
    for name, n in parts.most_common():
        print(f"{100 * n / total:6.1f}%  {name}")
    print("inclusive, Tempora methods:")
    for name, n in methods.most_common(top):
        print(f"{100 * n / total:6.1f}%  {name}")


if __name__ == "__main__":
    main()

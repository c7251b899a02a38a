#!/usr/bin/env python3
# Measures what a buffered CommitLog-style write costs in CPU on this machine as the page cache grows:
# 64 records of 1,100 bytes per pwritev into 1 GiB files, four files one after the other, first
# keeping every written page cached (as both brokers do), then dropping flushed pages behind the
# writer (fdatasync + POSIX_FADV_DONTNEED 128 MiB behind). Prints GB/s and process CPU-µs per record.
# Stdlib only; used by docs/benchmarks.md ("The page cache on this machine kind").
# Usage: python3 bench/page-cache-writes.py [folder]   (default: .peer/, same disk as the brokers)

import os
import sys
import time

RECORD_BYTES = 1100
RECORDS_PER_WRITE = 64
FILE_BYTES = 1 << 30
WRITTEN_PER_FILE = 1000 * 1024 * 1024
DROP_BEHIND_BYTES = 128 << 20
DROP_CHUNK_BYTES = 64 << 20


def write_files(folder: str, drop_behind: bool) -> None:
    batch = memoryview(bytearray(os.urandom(RECORD_BYTES * RECORDS_PER_WRITE)))
    paths = []
    for index in range(4):
        path = os.path.join(folder, f"page-cache-test-{index}")
        paths.append(path)
        fd = os.open(path, os.O_CREAT | os.O_RDWR | os.O_TRUNC, 0o644)
        os.ftruncate(fd, FILE_BYTES)
        offset, dropped = 0, 0
        started, cpu_started = time.perf_counter(), time.process_time()
        while offset < WRITTEN_PER_FILE:
            offset += os.pwritev(fd, [batch], offset)
            if drop_behind and offset - dropped > DROP_BEHIND_BYTES:
                os.fdatasync(fd)
                os.posix_fadvise(fd, dropped, DROP_CHUNK_BYTES, os.POSIX_FADV_DONTNEED)
                dropped += DROP_CHUNK_BYTES
        seconds = time.perf_counter() - started
        cpu_us_per_record = (time.process_time() - cpu_started) / (WRITTEN_PER_FILE / RECORD_BYTES) * 1e6
        os.close(fd)
        mode = "drop-behind" if drop_behind else "keep-cached"
        print(f"{mode} file {index}: {WRITTEN_PER_FILE / seconds / 1e9:.2f} GB/s, {cpu_us_per_record:.3f} CPU-us/record")
    for path in paths:
        os.unlink(path)


def main() -> None:
    folder = sys.argv[1] if len(sys.argv) > 1 else ".peer"
    os.makedirs(folder, exist_ok=True)
    write_files(folder, drop_behind=False)
    write_files(folder, drop_behind=True)


if __name__ == "__main__":
    main()

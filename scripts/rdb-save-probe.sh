#!/bin/bash
# What bounds an RDB save of the bench-backup dataset (1 GiB of random hex values in 64 KiB strings) on this
# machine: BGSAVE with and without rdbcompression/rdbchecksum, the same dump streamed over a replication socket
# (diskless, no file), and the disk. One "rdbprobe:" line per measurement. Needs redis-server, redis-cli, python3, bc.
set -u
PORT=7399; DIR=$(mktemp -d /tmp/rdb-save-probe.XXXXXX)
uptime
redis-server --port $PORT --bind 127.0.0.1 --dir $DIR --save '' --appendonly no --daemonize yes --logfile $DIR/log --pidfile $DIR/pid
until redis-cli -p $PORT ping >/dev/null 2>&1; do sleep 0.1; done
python3 - <<'PY' | redis-cli -p $PORT --pipe | tail -1
import os, random, sys
r = random.Random(42)
out = sys.stdout.buffer
for i in range(16384):
    v = r.randbytes(32768).hex().encode()
    k = b"data:%d" % i
    out.write(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(k), k, len(v), v))
PY
redis-cli -p $PORT info memory | grep used_memory_human
save() {
  local t0=$(date +%s.%N)
  redis-cli -p $PORT bgsave >/dev/null
  while redis-cli -p $PORT info persistence | grep -q "rdb_bgsave_in_progress:1"; do sleep 0.05; done
  local t1=$(date +%s.%N)
  printf "rdbprobe: %s save_s=%.2f file_mb=%.1f\n" "$1" "$(echo "$t1 - $t0" | bc)" "$(echo "$(stat -c %s $DIR/dump.rdb) / 1048576" | bc -l)"
}
redis-cli -p $PORT config set rdbcompression yes >/dev/null; redis-cli -p $PORT config set rdbchecksum yes >/dev/null
save "rdbcompression=yes rdbchecksum=yes (default)"
save "rdbcompression=yes rdbchecksum=yes (again)"
redis-cli -p $PORT config set rdbchecksum no >/dev/null
save "rdbcompression=yes rdbchecksum=no"
redis-cli -p $PORT config set rdbcompression no >/dev/null
save "rdbcompression=no rdbchecksum=no"
redis-cli -p $PORT config set rdbchecksum yes >/dev/null
save "rdbcompression=no rdbchecksum=yes"
redis-cli -p $PORT config set rdbcompression yes >/dev/null
# The replication path: the dump streamed over a socket (diskless), no file, no fsync.
redis-cli -p $PORT config set repl-diskless-sync yes >/dev/null; redis-cli -p $PORT config set repl-diskless-sync-delay 0 >/dev/null
t0=$(date +%s.%N); redis-cli -p $PORT --rdb /dev/null >/dev/null 2>&1; t1=$(date +%s.%N)
printf "rdbprobe: diskless-stream-to-devnull rdbcompression=yes stream_s=%.2f\n" "$(echo "$t1 - $t0" | bc)"
t0=$(date +%s.%N); dd if=/dev/zero of=$DIR/zeros bs=1M count=800 conv=fsync status=none; t1=$(date +%s.%N)
printf "rdbprobe: write-800MiB-fsync s=%.2f\n" "$(echo "$t1 - $t0" | bc)"
t0=$(date +%s.%N); dd if=/dev/zero of=$DIR/zeros2 bs=1M count=800 status=none; t1=$(date +%s.%N)
printf "rdbprobe: write-800MiB-nofsync s=%.2f\n" "$(echo "$t1 - $t0" | bc)"
redis-cli -p $PORT shutdown nosave >/dev/null 2>&1
rm -rf $DIR
uptime

#!/usr/bin/env bash
# Proves sharded sweeps on a real Slurm: stands up a one-node Slurm on this machine (installing
# Debian's slurmctld, slurmd, slurm-client and munge if missing; needs root), submits
# scripts/slurm-sweep.sbatch as a real `sbatch --array=1-4` job, waits, merges the shards, and
# compares the result with a single-machine sweep byte for byte. It stops only the daemons it
# started, by PID, and leaves no configuration outside its temporary folder (except munge's key and
# /run/munge, which munged needs).
#
#   scripts/slurm-local-test.sh [SCENARIO]    (default: scenarios/paper-online-step-sweep.toml)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
scenario=${1:-scenarios/paper-online-step-sweep.toml}
shards=4

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
  || ! command -v munged >/dev/null; then
  echo "installing slurmctld slurmd slurm-client munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
fi
if [ -n "${FAIRGLB:-}" ]; then bin=$FAIRGLB; else cargo build --release --quiet; bin=$repo/target/release/fairglb; fi

work=$(mktemp -d /tmp/fairglb-slurm.XXXXXX)
chmod 755 "$work"
started=()
cleanup() {
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done 2>/dev/null
  for pid in "${started[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
}
trap cleanup EXIT
fail() {
  echo "slurm-local-test: FAILED: $*" >&2
  for log in "$work"/*.log "$work"/munge/*.log "$work"/slurm-*.out; do [ -f "$log" ] && { echo "--- $log"; tail -20 "$log"; } >&2; done
  exit 1
}

# munge: Slurm authenticates with it. Reuse a running munged; otherwise start one as user munge.
if ! pgrep -x munged >/dev/null; then
  mkdir -p /run/munge /etc/munge
  chown munge:munge /run/munge
  if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  chown munge:munge /etc/munge/munge.key
  chmod 400 /etc/munge/munge.key
  mkdir -p "$work/munge"
  chown munge:munge "$work/munge"
  runuser -u munge -- munged --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log"
  for _ in $(seq 50); do [ -s "$work/munge/munged.pid" ] && munge -n >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n >/dev/null 2>&1 || fail "munged did not start"
  started+=("$(cat "$work/munge/munged.pid")")
fi

export SLURM_CONF=$work/slurm.conf
mkdir -p "$work/state" "$work/spool"
cat >"$SLURM_CONF" <<CONF
ClusterName=fairglbtest
SlurmctldHost=localhost
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
MinJobAge=4
NodeName=localhost CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -D -i -f "$SLURM_CONF" >"$work/slurmctld.stdout" 2>&1 &
started+=($!)
slurmd -D -N localhost -f "$SLURM_CONF" >"$work/slurmd.stdout" 2>&1 &
started+=($!)
for _ in $(seq 100); do
  [ "$(sinfo -h -n localhost -o %T 2>/dev/null)" = idle ] && break
  sleep 0.2
done
[ "$(sinfo -h -n localhost -o %T 2>/dev/null)" = idle ] || fail "the node did not come up idle"
echo "slurm up: $(sinfo -h -o '%P %D %T %C')"

# The same sweep on one machine, then as a job array of $shards tasks.
"$bin" sweep "$scenario" --threads 1 --out "$work/single" >/dev/null
start=$EPOCHREALTIME
sbatch --wait --array=1-$shards --chdir="$repo" --output="$work/slurm-%A_%a.out" \
  --export=ALL,FAIRGLB="$bin" scripts/slurm-sweep.sbatch "$scenario" "$work/shards" >"$work/sbatch.stdout" \
  || echo "sbatch --wait returned non-zero; checking the outputs anyway"
for k in $(seq $shards); do
  for _ in $(seq 100); do [ -s "$work/shards/shard-$k/sweep.csv" ] && break; sleep 0.2; done
  [ -s "$work/shards/shard-$k/sweep.csv" ] || fail "shard $k wrote no sweep.csv"
done
echo "job array $(cut -d' ' -f4 "$work/sbatch.stdout") ($shards tasks) finished in $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
shard_dirs=()
for k in $(seq $shards); do shard_dirs+=("$work/shards/shard-$k"); done
"$bin" merge "${shard_dirs[@]}" --out "$work/merged"
cmp "$work/single/sweep.csv" "$work/merged/sweep.csv" || fail "merged sweep.csv differs from the single-machine one"
cmp "$work/single/sweep.json" "$work/merged/sweep.json" || fail "merged sweep.json differs"
echo "slurm-local-test: OK: $shards-task job array merged to the single-machine sweep.csv ($(wc -l <"$work/merged/sweep.csv") lines), byte for byte"
rm -rf "$work"

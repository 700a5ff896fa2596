#!/usr/bin/env bash
# Runs hoop across two pretend hosts on this machine: two Linux network namespaces joined by
# veth pairs to a bridge (in a third namespace, so the machine's own network is untouched),
# each with its own hostname (unshare --uts), so that Open MPI sees two nodes and hoop finds
# two nodes of two ranks. Only the addresses 10.77.0.1 and 10.77.0.2 inside these namespaces
# are used; the TCP BTL and the runtime are restricted to that subnet.
#
#   netns_cluster.sh BUILD_DIR test            the MPI collective tests on 2 hosts x 2 ranks,
#                                              with the default (the hierarchical all-reduce)
#                                              and with the flat ring
#   netns_cluster.sh BUILD_DIR bench [RATES]   flat ring vs hierarchical all-reduce busbw on
#                                              links shaped with tc tbf to each rate in RATES
#                                              (default "10gbit 1gbit"; "none" for unshaped)
#   netns_cluster.sh BUILD_DIR trainer [RATES] trainer_perf's step time without communication,
#                                              with all-reduce and with the parameter server
#                                              (rank 0, on the first host; and sharded over all
#                                              ranks), on 2 hosts x 1 and 2 x 2 ranks, links
#                                              shaped as for bench
#
# Needs root (network namespaces); without it, or without ip/tc/unshare, exits 77 (skipped)
# with a message saying what is missing. Everything it creates is removed on exit.
set -euo pipefail

readonly SKIP=77
build=${1:?usage: netns_cluster.sh BUILD_DIR test|bench|trainer [RATES]}
mode=${2:-test}
rates=${3:-10gbit 1gbit}
build=$(cd "$build" && pwd)

skip() { echo "SKIP: $*"; exit "$SKIP"; }
[ "$(id -u)" = 0 ] || skip "network namespaces need root (run as root or with CAP_SYS_ADMIN and CAP_NET_ADMIN)"
for tool in ip tc unshare mpirun; do command -v "$tool" >/dev/null || skip "'$tool' is not installed"; done

prefix=hoop$$
bridge=${prefix}br
hosts=("${prefix}h0" "${prefix}h1")
addrs=(10.77.0.1 10.77.0.2)
work=$(mktemp -d)

cleanup() {
  # Processes still inside the namespaces (an interrupted run) are ours: end them first.
  for ns in "${hosts[@]}"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
  done
  for ns in "${hosts[@]}" "$bridge"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$bridge" 2>"$work/err" || skip "cannot create a network namespace here: $(cat "$work/err")"
ip -n "$bridge" link add br0 type bridge
ip -n "$bridge" link set br0 up
for i in 0 1; do
  ns=${hosts[$i]}
  ip netns add "$ns"
  ip -n "$ns" link add eth0 type veth peer name port$i netns "$bridge"
  ip -n "$ns" addr add "${addrs[$i]}/24" dev eth0
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  ip -n "$bridge" link set port$i master br0
  ip -n "$bridge" link set port$i up
done

# mpirun's remote shell: run the command in the namespace of the address, under its hostname.
cat >"$work/agent" <<AGENT
#!/bin/sh
while [ "\${1#-}" != "\$1" ]; do shift; done
case "\$1" in
  ${addrs[0]}) ns=${hosts[0]}; name=node0 ;;
  ${addrs[1]}) ns=${hosts[1]}; name=node1 ;;
  *) echo "netns agent: unknown host \$1" >&2; exit 1 ;;
esac
shift
exec ip netns exec "\$ns" unshare --uts sh -c "hostname \$name; \$*"
AGENT
chmod +x "$work/agent"
printf '%s slots=2\n%s slots=2\n' "${addrs[0]}" "${addrs[1]}" >"$work/hosts"

# Runs mpirun on the first host with $1 ranks on each host (ranks 0..$1-1 on node0); the other
# arguments are the program and its arguments.
cluster_run() {
  local per_host=$1
  shift
  ip netns exec "${hosts[0]}" unshare --uts sh -c 'hostname node0; exec "$@"' sh \
    mpirun --allow-run-as-root --oversubscribe --bind-to none -np $((2 * per_host)) --map-by "ppr:$per_host:node" \
    --hostfile "$work/hosts" \
    --mca plm_rsh_agent "$work/agent" --mca plm_rsh_no_tree_spawn 1 \
    --mca btl self,vader,tcp --mca btl_tcp_if_include 10.77.0.0/24 --mca oob_tcp_if_include 10.77.0.0/24 \
    -x HOOP_ALGO -x HOOP_SHM -x HOOP_DEBUG "$@"
}

# Shapes each host's egress with a token bucket; its burst must hold at least one timer
# tick of traffic (rate / HZ), so it grows with the rate: 1 MB per Gbit/s.
shape() {
  local burst=256kb
  case "$1" in *gbit) burst="${1%gbit}mb" ;; esac
  for i in 0 1; do
    ip netns exec "${hosts[$i]}" tc qdisc del dev eth0 root 2>/dev/null || true
    if [ "$1" != none ]; then
      ip netns exec "${hosts[$i]}" tc qdisc add dev eth0 root tbf rate "$1" burst "$burst" latency 50ms
    fi
  done
}

export HOOP_SHM=on  # the hierarchical all-reduce's node phases run over shared memory
case "$mode" in
  test)
    export HOOP_DEBUG=${HOOP_DEBUG:-WARN}
    for algo in auto ring; do
      echo "== collective tests on 2 hosts x 2 ranks, HOOP_ALGO=$algo"
      HOOP_ALGO=$algo cluster_run 2 "$build/tests/mpi_tests"
    done
    ;;
  bench)
    export HOOP_DEBUG=${HOOP_DEBUG:-WARN}
    for rate in $rates; do
      shape "$rate"
      for algo in ring hierarchical; do
        HOOP_ALGO=$algo cluster_run 2 "$build/benchmarks/allreduce_perf" -b 64K -e 64M -f 4 -n 5 -w 1 -t 3 -c 1 -m 0 \
          | tee "$work/$algo.txt"
      done
      echo "# 2 hosts x 2 ranks, links $rate: float32 sum, out of place, flat ring vs hierarchical"
      printf '# %12s %12s %12s %11s %11s %8s\n' "size(B)" "ring(us)" "hier(us)" "ring busbw" "hier busbw" "speedup"
      paste <(grep -v '^#' "$work/ring.txt" | awk '{print $1, $5}') \
            <(grep -v '^#' "$work/hierarchical.txt" | awk '{print $5}') |
        awk '{printf "  %12s %12.1f %12.1f %11.3f %11.3f %7.2fx\n", $1, $2, $3, $1 / $2 / 1e3 * 1.5, $1 / $3 / 1e3 * 1.5, $2 / $3}'
    done
    ;;
  trainer)
    # 16M float32 parameters are 67 MB, about half a second per direction on 1 Gbit/s; sentmax
    # and recvmax are the bytes per step of the busiest rank (the server, in ps mode).
    export HOOP_DEBUG=${HOOP_DEBUG:-WARN} HOOP_ALGO=${HOOP_ALGO:-auto}
    for rate in $rates; do
      shape "$rate"
      for per_host in 1 2; do
        rm -f "$work/trainer.csv"
        cluster_run "$per_host" "$build/benchmarks/trainer_perf" -s 4M,16M -m none,allreduce,ps,ps-sharded -n 4 -w 1 \
          -c "$work/trainer.csv" >/dev/null
        echo "# 2 hosts x $per_host ranks, links $rate: 8 equal float32 layers, median of 4 steps"
        printf '# %-10s %9s %9s %9s %11s %11s %11s\n' mode params "model(MB)" "step(ms)" "exposed(ms)" "sentmax(MB)" "recvmax(MB)"
        awk -F, '{printf "  %-10s %9s %9.1f %9.1f %11.1f %11.1f %11.1f\n", $2, $3, $3 * 4e-6, $4 * 1e3, $5 * 1e3, $10 / 1e6, $11 / 1e6}' \
          "$work/trainer.csv"
      done
    done
    ;;
  *) echo "unknown mode '$mode' (test, bench or trainer)" >&2; exit 2 ;;
esac

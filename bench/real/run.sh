#!/usr/bin/env bash
# The real kernel of this machine measured the way bench/KernelNet.Bench's
# full-path benches measure the simulation: two network namespaces joined by a
# veth pair, a sender pinned to CPU 0 in one and a receiver pinned to CPU 1 in
# the other (C programs compiled from kn_bench.c into a temporary directory).
#
#   sudo bench/real/run.sh [--runs N] [--seconds S] [--tsv]
#   sudo bench/real/run.sh --idle N [--tsv]
#
# Measures: UDP 64 B datagrams received per second, TCP bulk bytes per second
# (64 KB writes), TCP 64 B ping-pong round trips per second; each also per
# CPU-second (see bench/README.md: the two processes' user+system time plus the
# ksoftirqd threads' time). --tsv adds one machine-readable line per run and
# measure ("real<TAB>run<TAB>measure<TAB>count<TAB>wall_s<TAB>cpu_s<TAB>busy_s<TAB>delivered").
# --idle N (1..1000000) instead opens N idle TCP connections the way the
# simulation's --idle does (kn_idle.c: 1,000 listeners on 10.0.0.2 ports
# 9000-9999, the connections spread over them by up to 100 client processes,
# each with up to a thousand connects in flight, and as many servers), prints
# the time to open them, the CPU it took and the kernel's slab growth per
# socket while all are open, and waits until the kernel has freed them; --tsv
# adds "real<TAB>1<TAB>idle_open<TAB>count<TAB>wall_s<TAB>cpu_s<TAB>busy_s<TAB>slab_bytes_per_socket".
# Namespaces are kn-bench-a-PID and kn-bench-b-PID, removed on any exit.
set -euo pipefail

runs=3
seconds=2
tsv=0
idle=0
idle_given=0
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) runs="${2:-}"; shift 2 || { echo "run.sh: --runs needs a number" >&2; exit 2; } ;;
	--seconds) seconds="${2:-}"; shift 2 || { echo "run.sh: --seconds needs a number" >&2; exit 2; } ;;
	--tsv) tsv=1; shift ;;
	--idle) idle="${2:-}"; idle_given=1; shift 2 || { echo "run.sh: --idle needs a number" >&2; exit 2; } ;;
	-h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run.sh: unknown argument '$1' (--runs N, --seconds S, --tsv, --idle N)" >&2; exit 2 ;;
	esac
done
case "$runs" in ''|*[!0-9]*) echo "run.sh: --runs must be 1..10" >&2; exit 2 ;; esac
case "$seconds" in ''|*[!0-9]*) echo "run.sh: --seconds must be 1..10" >&2; exit 2 ;; esac
if [ "$runs" -lt 1 ] || [ "$runs" -gt 10 ]; then echo "run.sh: --runs must be 1..10" >&2; exit 2; fi
if [ "$seconds" -lt 1 ] || [ "$seconds" -gt 10 ]; then echo "run.sh: --seconds must be 1..10" >&2; exit 2; fi
case "$idle" in ''|*[!0-9]*) echo "run.sh: --idle must be 1..1000000" >&2; exit 2 ;; esac
if [ "$idle_given" = 1 ] && { [ "$idle" -lt 1 ] || [ "$idle" -gt 1000000 ]; }; then echo "run.sh: --idle must be 1..1000000" >&2; exit 2; fi
if [ "$(id -u)" -ne 0 ]; then echo "run.sh: must run as root (it creates network namespaces)" >&2; exit 2; fi
for tool in gcc ip taskset timeout awk; do
	command -v "$tool" >/dev/null || { echo "run.sh: $tool not found" >&2; exit 2; }
done
if [ "$(nproc)" -lt 2 ]; then echo "run.sh: needs two CPUs (sender on 0, receiver on 1)" >&2; exit 2; fi

here="$(cd "$(dirname "$0")" && pwd)"
ns_a="kn-bench-a-$$"
ns_b="kn-bench-b-$$"
work="$(mktemp -d /tmp/kn-bench.XXXXXX)"
pids=()

cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	ip netns del "$ns_a" 2>/dev/null || true
	ip netns del "$ns_b" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

if [ "$idle" -gt 0 ]; then
	# Each connection is two sockets with their files, about 6 KB of slab each on 6.18.
	need_kb=$((idle * 12))
	avail_kb="$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)"
	if [ "$avail_kb" -lt "$need_kb" ]; then
		echo "run.sh: --idle $idle needs about $((need_kb / 1024)) MB of kernel memory; $((avail_kb / 1024)) MB is available" >&2; exit 2
	fi
	gcc -O2 -Wall -o "$work/kn_idle" "$here/kn_idle.c"
else
	gcc -O2 -Wall -o "$work/kn_bench" "$here/kn_bench.c"
fi

ip netns add "$ns_a"
ip netns add "$ns_b"
ip link add veth0 netns "$ns_a" type veth peer name veth1 netns "$ns_b"
ip -n "$ns_a" addr add 10.0.0.1/24 dev veth0
ip -n "$ns_b" addr add 10.0.0.2/24 dev veth1
for ns in "$ns_a" "$ns_b"; do ip -n "$ns" link set lo up; done
ip -n "$ns_a" link set veth0 up
ip -n "$ns_b" link set veth1 up

hz="$(getconf CLK_TCK)"
ksoftirqd_pids="$(for c in 0 1; do pgrep -x "ksoftirqd/$c"; done | tr '\n' ' ')"

# CPU seconds the ksoftirqd threads of CPUs 0 and 1 have run (schedstat, ns).
ksoftirqd_s() {
	local sum=0 p
	for p in $ksoftirqd_pids; do
		sum=$((sum + $(cut -d' ' -f1 "/proc/$p/schedstat")))
	done
	awk -v t="$sum" 'BEGIN { printf "%.4f", t / 1e9 }'
}

# Busy seconds of CPUs 0 and 1 in /proc/stat (everything but idle and iowait: other users' too).
busy_s() {
	awk -v hz="$hz" '/^cpu[01] / { b += $2 + $3 + $4 + $7 + $8 + $9 } END { printf "%.4f", b / hz }' /proc/stat
}

field() { sed -n "s/.*\b$1=\([0-9]*\).*/\1/p" "$2" | head -1; }

# Tracepoints enabled in any tracefs instance (another user's recording): each
# fires for our packets too and slows the kernel, so the figure is printed.
traced_events() {
	local n=0 f
	for f in /sys/kernel/tracing/set_event /sys/kernel/tracing/instances/*/set_event; do
		[ -r "$f" ] && n=$((n + $(grep -c . "$f" || true)))
	done
	echo "$n"
}

port=9000
# measure NAME RX_ROLE TX_ROLE RUN
measure() {
	local name="$1" rx="$2" tx="$3" run="$4"
	port=$((port + 1))
	: >"$work/rx.out"
	ip netns exec "$ns_b" taskset -c 1 timeout $((seconds + 20)) "$work/kn_bench" "$rx" 10.0.0.2 "$port" "$seconds" >"$work/rx.out" &
	local rxpid=$!
	pids+=("$rxpid")
	local i
	for i in $(seq 100); do grep -q ready "$work/rx.out" && break; sleep 0.05; done
	grep -q ready "$work/rx.out" || { echo "run.sh: $rx did not start" >&2; exit 1; }
	local k0 b0 k1 b1
	k0="$(ksoftirqd_s)"; b0="$(busy_s)"
	ip netns exec "$ns_a" taskset -c 0 timeout $((seconds + 20)) "$work/kn_bench" "$tx" 10.0.0.2 "$port" "$seconds" >"$work/tx.out"
	wait "$rxpid"
	k1="$(ksoftirqd_s)"; b1="$(busy_s)"
	local rxl txl
	rxl="$(grep role= "$work/rx.out")"; txl="$(grep role= "$work/tx.out")"
	# The count a measure reports is the receiver's (UDP datagrams, TCP bytes) or the client's (round trips).
	local count wall delivered
	case "$name" in
	# UDP counts what the sender sent: each datagram took the whole path up to the
	# receiver's socket, and one the full queue dropped there (the receiver starved
	# of CPU on a shared machine) still cost all but its recvfrom.
	udp64) count="$(field count "$work/tx.out")"; wall="$(field wall_ns "$work/tx.out")"; delivered="$(field count "$work/rx.out")" ;;
	tcp_bulk) count="$(field bytes "$work/rx.out")"; wall="$(field wall_ns "$work/rx.out")"; delivered="$count" ;;
	tcp_rr) count="$(field count "$work/tx.out")"; wall="$(field wall_ns "$work/tx.out")"; delivered="$count" ;;
	esac
	local cpu split
	cpu="$(awk -v a="$(field cpu_ns "$work/rx.out")" -v b="$(field cpu_ns "$work/tx.out")" -v k0="$k0" -v k1="$k1" \
		'BEGIN { printf "%.4f", (a + b) / 1e9 + (k1 - k0) }')"
	split="$(awk -v a="$(field cpu_ns "$work/rx.out")" -v b="$(field cpu_ns "$work/tx.out")" -v k0="$k0" -v k1="$k1" \
		'BEGIN { printf "sender %.2f s, receiver %.2f s, ksoftirqd %.2f s", b / 1e9, a / 1e9, k1 - k0 }')"
	local busy
	busy="$(awk -v b0="$b0" -v b1="$b1" 'BEGIN { printf "%.4f", b1 - b0 }')"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$name" "$count" \
		"$(awk -v w="$wall" 'BEGIN { printf "%.6f", w / 1e9 }')" "$cpu" "$busy" "$delivered" "$split" "$(traced_events)" >>"$work/results"
}

slab_kb() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }

# N idle connections over 1,000 listeners: P servers (CPU 1, namespace B) each
# listen on their share of ports 9000-9999 and accept, P clients (CPU 0,
# namespace A) each connect to their server's ports; every process holds its
# sockets until killed. P keeps each process under RLIMIT_NOFILE (at most
# 10,000 connections a process), as the simulation's tasks stay under theirs.
measure_idle() {
	local n="$1" bound=300 p=1 d
	for d in 1 2 4 5 8 10 20 25 40 50 100; do p="$d"; [ $((d * 10000)) -ge "$n" ] && break; done
	local per=$((1000 / p)) s0 k0 b0 i j
	s0="$(slab_kb)"
	for i in $(seq 0 $((p - 1))); do
		ip netns exec "$ns_b" taskset -c 1 "$work/kn_idle" server 10.0.0.2 $((9000 + i * per)) "$per" "$(share "$n" "$p" "$i")" "$bound" >"$work/server.$i" &
		pids+=("$!")
	done
	for i in $(seq 0 $((p - 1))); do
		for j in $(seq 100); do grep -q ready "$work/server.$i" && break; sleep 0.05; done
		grep -q ready "$work/server.$i" || { echo "run.sh: idle server $i did not start: $(cat "$work/server.$i")" >&2; exit 1; }
	done
	k0="$(ksoftirqd_s)"; b0="$(busy_s)"
	for i in $(seq 0 $((p - 1))); do
		ip netns exec "$ns_a" taskset -c 0 "$work/kn_idle" client 10.0.0.2 $((9000 + i * per)) "$per" "$(share "$n" "$p" "$i")" "$bound" >"$work/client.$i" &
		pids+=("$!")
	done
	for j in $(seq $((bound * 5))); do
		[ "$(cat "$work"/server.* "$work"/client.* | grep -c role=)" -eq $((2 * p)) ] && break
		sleep 0.2
	done
	[ "$(cat "$work"/server.* "$work"/client.* | grep -c role=)" -eq $((2 * p)) ] \
		|| { echo "run.sh: $n idle connections did not open within $bound s" >&2; exit 1; }
	local k1 b1 s1
	k1="$(ksoftirqd_s)"; b1="$(busy_s)"; s1="$(slab_kb)"
	# One line from every process: the earliest start, the latest end, the CPU summed per side.
	cat "$work"/server.* "$work"/client.* | grep role= | awk -v k0="$k0" -v k1="$k1" -v b0="$b0" -v b1="$b1" \
		-v s0="$s0" -v s1="$s1" -v n="$n" -v p="$p" -v tsv="$tsv" '
	function f(name,   m) { return match($0, name "=[0-9]+") ? substr($0, RSTART + length(name) + 1, RLENGTH - length(name) - 1) : 0 }
	{
		if (f("start_ns") > 0 && (start == 0 || f("start_ns") < start)) start = f("start_ns")
		if (f("end_ns") > end) end = f("end_ns")
		if ($0 ~ /role=idle-client/) client += f("cpu_ns"); else { server += f("cpu_ns"); count += f("count") }
	}
	END {
		wall = (end - start) / 1e9; cpu = (client + server) / 1e9 + (k1 - k0); per = (s1 - s0) * 1024 / (2 * n)
		printf "%d idle connections open in %.2f s wall, %.2f s CPU (%d client %s %.2f s, %d %s %.2f s, ksoftirqd %.2f s; busy %.2f s on CPUs 0-1); slab grew %d MB: %.0f bytes per socket\n", \
			count, wall, cpu, p, (p == 1 ? "process" : "processes"), client / 1e9, p, (p == 1 ? "server" : "servers"), server / 1e9, k1 - k0, b1 - b0, (s1 - s0) / 1024, per
		if (tsv == 1) printf "real\t1\tidle_open\t%d\t%.6f\t%.4f\t%.4f\t%.0f\n", count, wall, cpu, b1 - b0, per
	}'
}

# The i-th of p shares of n (the first n % p get one more).
share() { echo $(( $1 / $2 + ($3 < $1 % $2 ? 1 : 0) )); }

# Ends the idle run's processes and namespaces, then waits (up to 120 s) until
# the kernel has freed most of what their sockets held, so that the teardown of
# a million connections does not run on into whatever is measured next.
release_idle() {
	local s0="$1" t0 i
	t0="$(date +%s.%N)"
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	pids=()
	ip netns del "$ns_a" 2>/dev/null || true
	ip netns del "$ns_b" 2>/dev/null || true
	for i in $(seq 600); do
		[ "$(slab_kb)" -le $((s0 + (s0 / 4) + 65536)) ] && break
		sleep 0.2
	done
	echo "# namespaces removed; slab back to $(( $(slab_kb) / 1024 )) MB (from $((s0 / 1024)) MB before) after $(awk -v t0="$t0" -v t1="$(date +%s.%N)" 'BEGIN { printf "%.1f", t1 - t0 }') s"
}

if [ "$idle" -gt 0 ]; then
	echo "# real kernel $(uname -r), $(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "# $idle idle connections from $ns_a to 1,000 listeners on 10.0.0.2:9000-9999 in $ns_b, over veth; clients on CPU 0, servers on CPU 1"
	slab_before="$(slab_kb)"
	measure_idle "$idle"
	release_idle "$slab_before"
	echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	exit 0
fi

echo "# real kernel $(uname -r), $(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $runs run(s) of $seconds s per measure; sender CPU 0 in $ns_a, receiver CPU 1 in $ns_b, over veth"
: >"$work/results"
for run in $(seq "$runs"); do
	measure udp64 udp-recv udp-send "$run"
	measure tcp_bulk tcp-sink tcp-bulk "$run"
	measure tcp_rr tcp-echo tcp-rr "$run"
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# One line per run and measure, then the median and range over runs.
awk -F'\t' -v tsv="$work/tsv" '
function unit(m) { return m == "tcp_bulk" ? "MB/s" : m == "udp64" ? "pkt/s" : "rt/s" }
function scale(m, v) { return m == "tcp_bulk" ? v / 1e6 : v }
{
	rate = $4 > 0 ? $3 / $4 : 0
	per = $5 > 0 ? $3 / $5 : 0
	printf "run %s %-8s %12.0f %s  %12.0f %s per CPU-second  cpu %.2f s (of busy %.2f s on CPUs 0-1)%s\n", $1, $2, scale($2, rate), unit($2), scale($2, per), (unit($2) == "MB/s" ? "MB" : unit($2) == "pkt/s" ? "pkt" : "rt"), $5, $6, ($2 == "tcp_rr" && $3 > 0 ? sprintf("  rtt %.2f us", $4 / $3 * 1e6) : "")
	printf "real\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", $1, $2, $3, $4, $5, $6, $7 > tsv
	printf "      %s; tracepoints enabled in tracefs: %s\n", $8, $9
	if ($2 == "udp64") printf "      udp64 datagrams sent %s, received %s (%.1f%% dropped at the receiving socket)\n", $3, $7, ($3 > 0 ? 100 * ($3 - $7) / $3 : 0)
	n[$2]++; r[$2, n[$2]] = rate; p[$2, n[$2]] = per
}
function sortn(a, k, m,   i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[m, j] < a[m, i]) { t = a[m, i]; a[m, i] = a[m, j]; a[m, j] = t } }
function med(a, k, m) { return k % 2 ? a[m, (k + 1) / 2] : (a[m, k / 2] + a[m, k / 2 + 1]) / 2 }
END {
	split("udp64 tcp_bulk tcp_rr", ms, " ")
	for (i = 1; i <= 3; i++) {
		m = ms[i]; k = n[m]; sortn(r, k, m); sortn(p, k, m)
		printf "median %-8s %12.0f %s (%.0f..%.0f)  %12.0f per CPU-second (%.0f..%.0f)\n", m, scale(m, med(r, k, m)), unit(m), scale(m, r[m, 1]), scale(m, r[m, k]), scale(m, med(p, k, m)), scale(m, p[m, 1]), scale(m, p[m, k])
	}
}' "$work/results"
if [ "$tsv" = 1 ]; then cat "$work/tsv"; fi

#!/usr/bin/env bash
# Wall time of the default scenario (`kernelnet run`, no arguments) from one or
# more kernelnet binaries or configurations, interleaved so that each sees the
# same load on a shared machine; prints the median and range of the wall time and
# of the CPU time (user+system, every thread) per configuration.
#
#   bench/startup.sh [--runs N] CONFIG...
#
# A CONFIG is a command line: the binary, optionally preceded by VAR=VALUE
# settings, e.g. out/kernelnet/kernelnet "DOTNET_TieredPGO=0 out/kernelnet/kernelnet".
# Each configuration runs once first, untimed (page cache), then N times (default 5).
set -euo pipefail
runs=5
if [ "${1:-}" = "--runs" ]; then
	runs="${2:-}"; shift 2 || true
fi
case "$runs" in ''|*[!0-9]*) echo "startup.sh: --runs must be 1..50" >&2; exit 2 ;; esac
if [ "$runs" -lt 1 ] || [ "$runs" -gt 50 ]; then echo "startup.sh: --runs must be 1..50" >&2; exit 2; fi
if [ $# -eq 0 ]; then echo "startup.sh: name at least one kernelnet binary (bench/README.md)" >&2; exit 2; fi
for cfg in "$@"; do
	# shellcheck disable=SC2086
	bin="$(printf '%s\n' $cfg | grep -v '=' | head -1)"
	[ -x "$bin" ] || { echo "startup.sh: '$bin' is not an executable (publish it first: README)" >&2; exit 2; }
done
work="$(mktemp -d /tmp/kn-startup.XXXXXX)"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
echo "# default scenario start-up, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 0 "$runs"); do
	n=0
	for cfg in "$@"; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		/usr/bin/time -f '%e %U %S' -o "$work/time" timeout 60 env $cfg run >/dev/null 2>"$work/err" || { echo "startup.sh: '$cfg run' failed: $(head -1 "$work/err")" >&2; exit 1; }
		if [ "$i" -gt 0 ]; then tail -1 "$work/time" >>"$work/$n"; fi
	done
done
n=0
for cfg in "$@"; do
	n=$((n + 1))
	awk -v cfg="$cfg" '
	function sort(a, k,   i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t } }
	function med(a, k) { return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
	{ w[NR] = $1; c[NR] = $2 + $3 }
	END { sort(w, NR); sort(c, NR); printf "%.2f s wall median [%.2f..%.2f], %.2f s CPU median [%.2f..%.2f] over %d runs: %s\n", med(w, NR), w[1], w[NR], med(c, NR), c[1], c[NR], NR, cfg }' "$work/$n"
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

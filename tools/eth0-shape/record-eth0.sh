#!/bin/sh
# Records what this machine's eth0 (virtio_net) does while one small package
# is downloaded from the package registry: the interrupt, softirq, NAPI, GRO,
# receive and transmit tracepoints, in a tracefs instance of its own
# (instances/kn-virtio-PID, removed on exit and on Ctrl-C). Writes the raw
# trace to the file named by $1. Root, tracefs and the network are needed.
#
# The download (npm pack is-number, one 4 KB tarball, at most 60 s) is the only traffic
# this sends off the machine; nothing else is started.
set -eu
out=${1:?usage: record-eth0.sh OUTPUT}
tracefs=/sys/kernel/tracing
inst=$tracefs/instances/kn-virtio-$$
dl=$(mktemp -d /tmp/kn-virtio-dl.XXXXXX)

cleanup() {
    [ -d "$inst" ] && { echo 0 > "$inst/tracing_on" 2>/dev/null || true; rmdir "$inst" 2>/dev/null || true; }
    rm -rf "$dl"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || { echo "record-eth0: needs root" >&2; exit 2; }
[ -d "$tracefs/instances" ] || { echo "record-eth0: no tracefs at $tracefs" >&2; exit 2; }
[ -e /sys/class/net/eth0/device/driver ] && [ "$(basename "$(readlink /sys/class/net/eth0/device/driver)")" = virtio_net ] \
    || { echo "record-eth0: eth0 is not a virtio_net device" >&2; exit 2; }

mkdir "$inst"
echo 8192 > "$inst/buffer_size_kb"
for e in irq/irq_handler_entry irq/irq_handler_exit irq/softirq_raise irq/softirq_entry irq/softirq_exit \
         napi/napi_poll net/napi_gro_receive_entry net/netif_receive_skb net/net_dev_xmit; do
    echo 1 > "$inst/events/$e/enable"
done
echo 1 > "$inst/tracing_on"
(cd "$dl" && timeout 60 npm pack --silent --prefer-online is-number >/dev/null 2>&1) || echo "record-eth0: the download failed" >&2
echo 0 > "$inst/tracing_on"
cat "$inst/trace" > "$out"

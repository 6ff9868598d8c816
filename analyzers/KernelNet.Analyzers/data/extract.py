#!/usr/bin/env python3
"""Regenerates the analyzer data from a Linux v6.18.y git tree (see README.md).

Usage: extract.py GIT_DIR SHARED_FUNCTIONS_TSV PORT_ROOT [IMPORT_COMMIT]
  GIT_DIR               a bare clone of a v6.18.y tree (leftymods/linux-6.18.y: 6.18.35)
  SHARED_FUNCTIONS_TSV  the project's reference list (shared/linux-6.18/functions.tsv): its
                        files are the base of the scan; their functions are tagged again
                        from GIT_DIR (on v6.18.2 that gives the shared list row for row)
  PORT_ROOT             the repository root (its kernel/ lists the files the port has)
  IMPORT_COMMIT         optional: the commit that imported the kernel into GIT_DIR; files
                        added by later commits are a vendor's (wifi drivers, board files)
                        and are left out as if absent
Needs Universal Ctags. Writes names, paths and line numbers only: no kernel
source text is stored.
"""
import os
import re
import subprocess
import sys
from collections import defaultdict

git_dir, shared, port = sys.argv[1:4]
out = os.path.dirname(os.path.abspath(__file__))


def git(*args):
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True, capture_output=True).stdout.decode("utf-8", "replace")


all_files = git("ls-tree", "-r", "--name-only", "HEAD").splitlines()
if len(sys.argv) > 4:
    vendor = set(git("log", "--diff-filter=A", "--name-only", "--format=", sys.argv[4] + "..HEAD").split())
    all_files = [f for f in all_files if f not in vendor]
all_set = set(all_files)

# Every tracepoint the tree defines (TRACE_EVENT*/DECLARE_TRACE* name,
# DEFINE_EVENT*'s second argument, DECLARE_TRACE(x) -> x and x_tp (6.15+),
# x86's DEFINE_IRQ_VECTOR_EVENT(x) -> x_entry, x_exit), so that helpers such
# as trace_seq_printf are not taken for tracepoints.
defs = subprocess.run(["git", "--git-dir", git_dir, "grep", "-h", "-A2", "-E",
                       r"^\s*(TRACE_EVENT|DEFINE_EVENT|DECLARE_TRACE|DEFINE_IRQ_VECTOR_EVENT)[A-Z_]*\(", "HEAD", "--", "*.h", "*.c"],
                      capture_output=True).stdout.decode("utf-8", "replace")
events = set()
for m in re.finditer(r"^\s*(TRACE_EVENT[A-Z_]*|DEFINE_EVENT[A-Z_]*|DECLARE_TRACE[A-Z_]*|DEFINE_IRQ_VECTOR_EVENT)\(\s*(\w+)\s*(?:,\s*(\w+))?", defs, re.M):
    kind, a, b = m.groups()
    if kind.startswith("DEFINE_EVENT"):
        if b:
            events.add("trace_" + b)
    elif kind == "DEFINE_IRQ_VECTOR_EVENT":
        events.update(("trace_%s_entry" % a, "trace_%s_exit" % a))
    elif kind.startswith("DECLARE_TRACE"):
        events.update(("trace_" + a, "trace_%s_tp" % a))
    else:
        events.add("trace_" + a)

# linux-files.txt: the .c/.h paths KN0001 may map a port file to.
tops = re.compile(r"^(net/|include/linux/|include/net/|include/trace/events/|include/uapi/linux/|include/uapi/asm-generic/|kernel/|fs/|lib/|mm/|drivers/net/|drivers/virtio/|drivers/char/|arch/x86/kernel/|arch/x86/mm/|arch/x86/include/asm/irqflags).*\.[ch]$")
linux_files = [f for f in all_files if tops.match(f)]

# Files whose functions are listed: the shared list's files, the ones the port
# uses that it lacks, and every C file the port has (kernel/<path>.cs -> <path>.c and .h).
shared_rows = [l.rstrip("\n").split("\t") for l in open(shared) if l.strip()]
shared_files = {r[0] for r in shared_rows}
extra = re.compile(r"^(kernel/irq/[^/]*\.c|include/uapi/linux/[^/]*\.h|drivers/net/ethernet/intel/igb/[^/]*\.[ch]|kernel/sched/(core|wait)\.c|kernel/time/[^/]*\.c|kernel/smpboot\.c|arch/x86/kernel/irq\.c|arch/x86/kernel/apic/apic\.c|fs/proc/softirqs\.c|net/ethernet/eth\.c|net/netfilter/[^/]*\.c)$")
scan = set(shared_files) | {f for f in all_files if extra.match(f)}
scan |= {"include/linux/%s.h" % n for n in "interrupt bottom_half preempt wait etherdevice if_ether ethtool inetdevice irqdesc jiffies net netfilter sched socket timer".split()}
scan |= {"include/linux/netfilter/x_tables.h", "kernel/trace/trace.c"}
port_files = []
for root, dirs, files in os.walk(os.path.join(port, "kernel")):
    rel = os.path.relpath(root, os.path.join(port, "kernel"))
    if rel.split(os.sep)[0] in ("sim", "obj", "bin"):
        continue
    for f in files:
        if f.endswith(".cs") and not (rel == "." and f == "Vmlinux.cs"):
            stem = os.path.normpath(os.path.join(rel, f[:-3])).replace(os.sep, "/")
            for ext in (".c", ".h"):
                if stem + ext in all_set:
                    port_files.append(stem + ext)
scan |= set(port_files)
scan = sorted(f for f in scan if f in all_set)

KEYWORDS = set("if for while switch return sizeof typeof __typeof__ alignof _Alignof do else case goto defined __builtin_expect likely unlikely offsetof".split())
REASONLESS = {"kfree_skb", "kfree_skb_list", "dev_kfree_skb", "dev_kfree_skb_any", "dev_kfree_skb_irq", "rtnl_kfree_skbs"}


def strip(src):
    """Comments and string/char literals blanked, newlines kept, so line numbers hold."""
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', blank, src, flags=re.S)


CONTROL = re.compile(r"^\s*(?:\}\s*)?(if|else|for|while|switch|do|case\b|default\s*:)")


def unconditional(body, pos):
    """Whether the statement at pos runs whenever the body runs past it: not inside
    an if/else/loop/switch block, and not the unbraced body of one (labels and plain
    blocks do not count; a goto-only section after a label is taken as reached)."""
    depth = 0
    stack = []
    stmt_start = 0
    i = 0
    while i < pos:
        ch = body[i]
        if ch == "{":
            header = body[stmt_start:i]
            stack.append(bool(CONTROL.match(header)) or "=" in header and False)
            stmt_start = i + 1
        elif ch == "}":
            if stack:
                stack.pop()
            stmt_start = i + 1
        elif ch == ";":
            stmt_start = i + 1
        elif ch == ":" and re.match(r"^\s*\w+\s*$", body[stmt_start:i]) and body[i + 1:i + 2] != ":":
            stmt_start = i + 1  # a label
        i += 1
    # the outermost { is the function body itself
    inner = stack[1:]
    if any(inner):
        return False
    return not CONTROL.match(body[stmt_start:pos])


functions, macros, traces, reasonless, callees, tp_defs, syscalls = [], [], [], [], [], [], []
TP_DEF = re.compile(r"^\s*(TRACE_EVENT[A-Z_]*|DEFINE_EVENT[A-Z_]*|DECLARE_TRACE[A-Z_]*)\(\s*(\w+)\s*(?:,\s*(\w+))?", re.M)
for path in scan:
    try:
        src = git("show", "HEAD:" + path)
    except subprocess.CalledProcessError:
        continue
    tmp = "/tmp/kn-extract-src.c"
    with open(tmp, "w") as fh:
        fh.write(src)
    tags = subprocess.run(["ctags", "-D", "__always_inline=inline", "-x", "--_xformat=%N\t%n\t%{end}\t%K\t%S", "--kinds-C=fd", "--fields=+neS", "--language-force=C", tmp],
                          capture_output=True).stdout.decode("utf-8", "replace").splitlines()
    lines = strip(src).split("\n")
    if path.startswith("include/trace/events/"):
        # the tracepoints this header defines: trace_<name> is what the port calls
        for m in TP_DEF.finditer("\n".join(lines)):
            kind, a, b = m.groups()
            name = b if kind.startswith("DEFINE_EVENT") else a
            if name:
                tp_defs.append((path, "trace_" + name, str("\n".join(lines)[:m.start()].count("\n") + 1)))
    for t in tags:
        cols = t.split("\t")
        if len(cols) < 5:
            cols += [""] * (5 - len(cols))
        name, start, end, kind, sig = cols[:5]
        if kind == "macro" and sig.startswith("("):
            macros.append((path, name, start))
        if kind != "function":
            continue
        if re.match(r"^(COMPAT_)?SYSCALL_DEFINE\d$", name):
            # SYSCALL_DEFINEn(epoll_wait, ...) defines sys_epoll_wait: the name the port uses
            m = re.match(r"^\s*(?:COMPAT_)?SYSCALL_DEFINE\d\((\w+)", src.split("\n")[int(start) - 1])
            if not m or name.startswith("COMPAT_"):
                continue
            name = "sys_" + m.group(1)
            syscalls.append((path, name, start))
        functions.append((path, name, start))
        if not end:
            continue
        body = "\n".join(lines[int(start) - 1:int(end)])
        brace = body.find("{")
        if brace < 0:
            continue
        body = body[brace:]
        seen_tp = {}
        for m in re.finditer(r"\b(trace_[a-z0-9_]+)\s*\(", body):
            tp = m.group(1)
            if tp in events and not tp.endswith("_enabled"):
                seen_tp[tp] = seen_tp.get(tp, False) or unconditional(body, m.start())
        for tp, unc in sorted(seen_tp.items()):
            traces.append((path, name, tp, "always" if unc else "conditional"))
        hows = set()
        if "SKB_DROP_REASON_NOT_SPECIFIED" in body:
            hows.add("SKB_DROP_REASON_NOT_SPECIFIED")
        # SKB_DR(r) declares r = SKB_DROP_REASON_NOT_SPECIFIED; SKB_DR_SET/INIT(r, NOT_SPECIFIED) set it
        if re.search(r"\bSKB_DR\s*\(|\bSKB_DR_(?:SET|INIT)\s*\(\s*\w+\s*,\s*NOT_SPECIFIED\s*\)", body):
            hows.add("SKB_DROP_REASON_NOT_SPECIFIED")
        called = set(re.findall(r"\b([A-Za-z_]\w*)\s*\(", body))
        hows |= called & REASONLESS
        for h in sorted(hows):
            reasonless.append((path, name, h))
        for c in sorted(called - KEYWORDS - {name}):
            callees.append((path, name, c))

# ctags cannot see netdevice.h's ____dev_forward_skb (added to functions.tsv by hand
# below); its body drops with a plain kfree_skb when the device cannot take the skb.
reasonless.append(("include/linux/netdevice.h", "____dev_forward_skb", "kfree_skb"))
# tun's ring destructor frees through skb_array.h's __skb_array_destroy_skb, a
# plain kfree_skb in a header the scan does not walk for drops.
reasonless.append(("drivers/net/tun.c", "tun_ptr_free", "via __skb_array_destroy_skb"))

# A reason-less drop in a static helper of the same file counts for its callers
# (the port often merges such a helper into its caller): to a fixed point.
drops = defaultdict(set)
for p_, f_, h_ in reasonless:
    drops[(p_, f_)].add(h_)
calls_of = defaultdict(set)
for p_, f_, c_ in callees:
    calls_of[(p_, f_)].add(c_)
changed = True
while changed:
    changed = False
    for (p_, f_), cs in calls_of.items():
        for c_ in cs:
            if c_ != f_ and drops.get((p_, c_)) and ("via " + c_) not in drops[(p_, f_)]:
                drops[(p_, f_)].add("via " + c_)
                changed = True
reasonless = [(p_, f_, h_) for (p_, f_), hs in drops.items() for h_ in hs if hs]

# functions.tsv: the shared list as is, plus the files it lacks, plus entry
# points ctags cannot see (generated by DEFINE_IDTENTRY_*, DEFINE_BATCHED_ENTROPY),
# netdevice.h's ____dev_forward_skb, and two macros ctags leaves out.
def line_of(path, name):
    """The line a hand row's definition starts on in this tree (ctags misses these)."""
    for i, text in enumerate(git("show", "HEAD:" + path).split("\n"), 1):
        if re.search(r"\b%s\s*\(" % re.escape(name), text) and not text.rstrip().endswith(";") and not re.match(r"^\s", text):
            return str(i)
    raise SystemExit("extract.py: %s has no definition of %s" % (path, name))


def retag_shared():
    """The shared list's files tagged again from GIT_DIR, the way the shared list was made
    (plain ctags, functions only): on v6.18.2 this reproduces it row for row."""
    for path in sorted(shared_files & all_set):
        with open("/tmp/kn-extract-src.c", "w") as fh:
            fh.write(git("show", "HEAD:" + path))
        out_ = subprocess.run(["ctags", "-x", "--_xformat=%N\t%n", "--kinds-C=f", "--language-force=C", "/tmp/kn-extract-src.c"],
                              capture_output=True).stdout.decode("utf-8", "replace")
        for line in out_.splitlines():
            name, start = line.split("\t")
            yield (path, name, start)


rows = set(retag_shared())
rows |= {r for r in functions if r[0] not in shared_files}
rows |= set(syscalls)  # the shared list does not name SYSCALL_DEFINE entry points
rows |= {("arch/x86/kernel/irq.c", "common_interrupt", "0"), ("arch/x86/kernel/apic/apic.c", "sysvec_apic_timer_interrupt", "0"),
         ("drivers/char/random.c", "get_random_u32", "0"), ("drivers/char/random.c", "__get_random_u32_below", "557"),
         ("include/linux/netdevice.h", "____dev_forward_skb", line_of("include/linux/netdevice.h", "____dev_forward_skb")),
         ("include/net/tcp.h", "tcp_jiffies32", line_of("include/net/tcp.h", "tcp_jiffies32")),
         ("include/uapi/linux/tcp.h", "tcp_flag_word", line_of("include/uapi/linux/tcp.h", "tcp_flag_word")),
         ("include/net/gro.h", "skb_gro_offset", line_of("include/net/gro.h", "skb_gro_offset"))}  # ctags misses this one-line inline


def write(name, rows, sort_key=None):
    with open(os.path.join(out, name), "w") as fh:
        for r in sorted(set(rows), key=sort_key):
            fh.write("\t".join(r) + "\n")


write("functions.tsv", rows, lambda r: (r[0], r[1], int(r[2])))
write("macros.tsv", macros)
write("tracepoint-calls.tsv", traces)
write("drop-not-specified.tsv", reasonless)
write("tracepoint-events.tsv", tp_defs)
with open(os.path.join(out, "linux-files.txt"), "w") as fh:
    fh.write("\n".join(linux_files) + "\n")
with open(os.path.join(out, "scanned-files.txt"), "w") as fh:
    fh.write("\n".join(scan) + "\n")
# callees: only names the data knows as functions or function-like macros
known = {r[1] for r in rows} | {r[1] for r in macros}
write("callees.tsv", [c for c in callees if c[2] in known])
for n in ("tracepoint-events.tsv", "functions.tsv", "macros.tsv", "tracepoint-calls.tsv", "drop-not-specified.tsv", "linux-files.txt", "scanned-files.txt", "callees.tsv"):
    print(sum(1 for _ in open(os.path.join(out, n))), n)

#!/usr/bin/env bash
# build-qemu-stock.sh QEMU_BUILD XEN_TREE STOCK_TOOLS OUT: QEMU with its
# series as a distribution would build it for a Xen without the series:
# QEMU_BUILD's objects, hw/xen/xen_pt.c compiled against the base's headers
# (scripts/qemu-old-xen.sh: no CONFIG_XEN_DEVICE_DIRTY_REPORTING, so the
# property's modes fail at realize and "off" is all there is), linked
# against STOCK_TOOLS' libraries (build-stock-tools.sh) with QEMU_BUILD's
# own link command.  OUT is the binary; its work files go beside it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
qbuild=$(realpath "$1") xen=$(realpath "$2") stock=$(realpath "$3") out=$(realpath -m "$4")
. "$here/qemu-old-xen.sh"
old_xen_setup "$qbuild" "$xen" "$out.work"
old_xen_compile "$work/xen_pt-old.o" "$src" "${old[@]}" >"$work/xen_pt-old.log" 2>&1 ||
    { tail -20 "$work/xen_pt-old.log"; exit 1; }
if nm "$work/xen_pt-old.o" | grep -q ' U xendevicemodel_set_device_dirty_reporting'; then
    echo "xen_pt.o compiled without the call still references it" >&2
    exit 1
fi
# The link statement of qemu-system-i386 in build.ninja: its inputs and
# variables, the patched tree's libraries swapped for the stock ones and
# xen_pt.c's object for the one above.
python3 - "$qbuild" "$xen/tools/libs" "$stock/tools/libs" "$work/xen_pt-old.o" \
    "$out" > "$work/link.sh" <<'PY'
import shlex, sys
qbuild, new_libs, old_libs, old_obj, out = sys.argv[1:]
lines = open(qbuild + '/build.ninja').read().split('\n')
for i, l in enumerate(lines):
    if l.startswith('build qemu-system-i386: '):
        break
else:
    sys.exit('build.ninja: no link statement for qemu-system-i386')
def words(s):
    # ninja escapes: "$ " a space, "$:" a colon, "$$" a dollar
    return [w.replace('\0', ' ').replace('$:', ':').replace('$$', '$')
            for w in s.replace('$ ', '\0').split()]
ins = words(lines[i].split(': ', 1)[1].split(' | ')[0])
rule, ins = ins[0], ins[1:]
if rule != 'c_LINKER_RSP' or 'libqemu-i386-softmmu.a.p/hw_xen_xen_pt.c.o' not in ins:
    sys.exit('build.ninja: qemu-system-i386 is not linked as expected')
ins = [old_obj if w.endswith('hw_xen_xen_pt.c.o') else w for w in ins]
var = {}
for l in lines[i + 1:]:
    if not l.startswith(' '):
        break
    k, v = l.strip().split(' = ', 1)
    var[k] = words(v)
args = var.get('ARGS', []) + ['-o', out] + ins + var.get('LINK_ARGS', [])
args = [a.replace(new_libs, old_libs) for a in args]
# The rule's command, its response file replaced by what it would hold.
cmd = None
for j, l in enumerate(lines):
    if l == 'rule c_LINKER_RSP':
        for m in lines[j + 1:]:
            if m.strip().startswith('command = '):
                cmd = m.strip()[len('command = '):]
                break
        break
if not cmd or not cmd.endswith(' @$out.rsp'):
    sys.exit('build.ninja: the rule c_LINKER_RSP is not as expected')
print('cd ' + shlex.quote(qbuild) + ' && exec ' + cmd[:-len(' @$out.rsp')] + ' ' +
      ' '.join(map(shlex.quote, args)))
PY
bash "$work/link.sh" >"$work/link.log" 2>&1 || { tail -20 "$work/link.log"; exit 1; }
if LD_LIBRARY_PATH=$(printf '%s:' "$stock"/tools/libs/*/) ldd "$out" |
   grep "not found\|$xen/"; then
    echo "$out: a library is missing, or the patched tree's is used" >&2
    exit 1
fi
echo "QEMU with its series, for the stock tools: $out"

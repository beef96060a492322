# qemu-old-xen.sh, sourced: compile QEMU's hw/xen/xen_pt.c (the one file
# that calls xendevicemodel_set_device_dirty_reporting()) as it compiles
# against a Xen without the call, from the compile command meson wrote
# (compile_commands.json) of a build configured against the patched Xen.
#
# "Without" is the configured build with two things taken back: the
# probe's CONFIG_XEN_DEVICE_DIRTY_REPORTING (a copy of config-host.h found
# first through -iquote) and the Xen headers that carry the call (the
# public and library headers as they are at the base, found first through
# -I; generated ones, such as xen/foreign/, come from the patched tree,
# later in the search path).
#
#   old_xen_setup BUILD XEN WORK   sets $build, $work, the array $cmd (the
#                  compile command), $old (the options above) and $src
#                  (xen_pt.c); fails, saying why, if a piece is missing
#   old_xen_compile OUT SRC [EXTRA...]   xen_pt.c's command for SRC with
#                  -Werror, output OUT

old_xen_setup() {
    build=$(realpath "$1") xen=$(realpath "$2") work=$(realpath -m "$3")
    rm -rf "$work"
    mkdir -p "$work/old-config" "$work/old-xen"
    grep -v '^#define CONFIG_XEN_DEVICE_DIRTY_REPORTING$' "$build/config-host.h" \
        > "$work/old-config/config-host.h"
    git -C "$xen" archive base tools/include xen/include/public | tar -x -C "$work" &&
        mv "$work/xen/include/public" "$work/old-xen/xen" &&
        cp "$work"/tools/include/*.h "$work/old-xen/" || return 1
    if grep -rq 'dirty_reporting\|DIRTY_REPORTING' "$work/old-xen"; then
        echo "the base's Xen headers have the call" >&2
        return 1
    fi
    mapfile -t cmd < <(python3 - "$build" <<'PY'
import json, shlex, sys
for e in json.load(open(sys.argv[1] + '/compile_commands.json')):
    if e['file'].endswith('hw/xen/xen_pt.c'):
        print('\n'.join(shlex.split(e['command'])))
        break
PY
)
    if [ "${#cmd[@]}" = 0 ]; then
        echo "$build/compile_commands.json has no hw/xen/xen_pt.c" >&2
        return 1
    fi
    old=(-iquote "$work/old-config" -I "$work/old-xen")
    src=$(cd "$build" && realpath "$(printf '%s\n' "${cmd[@]}" | grep 'xen_pt\.c$')")
}

old_xen_compile() {
    local out=$1 src=$2 args=() i skip=0
    shift 2
    args=("${cmd[0]}" "$@" -Werror)
    for ((i = 1; i < ${#cmd[@]}; i++)); do
        if [ $skip = 1 ]; then skip=0; continue; fi
        case "${cmd[$i]}" in
            -o|-MQ|-MF) skip=1 ;;
            -MD|-c) ;;
            *xen_pt.c) ;;
            *) args+=("${cmd[$i]}") ;;
        esac
    done
    (cd "$build" && "${args[@]}" -c -o "$out" "$src")
}

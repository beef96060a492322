#!/usr/bin/env bash
# symbols.sh TREE: the new library calls are exported, with the right
# symbol versions, from the libraries the patched tree built.
set -eu
tree=$1
libs=$tree/tools/libs
dm=$libs/devicemodel/libxendevicemodel.so.1.5
[ -e "$dm" ] || { echo "missing $dm (MINOR not bumped to 5?)"; exit 1; }
check() {
    local lib=$1 sym=$2
    # Defined (not UND), with its version node if it has one.
    if readelf --dyn-syms --wide "$lib" | grep -v ' UND ' |
       grep -Eq " $sym(@@[^ ]*)?\$"; then
        echo "$(basename "$lib"): $sym"
    else
        echo "$(basename "$lib") lacks $sym"
        exit 1
    fi
}
check "$dm" 'xendevicemodel_set_device_dirty_reporting@@VERS_1\.5'
check "$dm" 'VERS_1\.5'
check "$libs/ctrl/libxenctrl.so" 'xc_domain_get_device_dirty_reporting'
for s in libxl_domain_pci_dirty_reporting libxl_pci_dirty_reporting_list_free \
         libxl_pci_dirty_reason_describe libxl_pci_dirty_reason_to_string; do
    check "$libs/light/libxenlight.so" "$s"
done

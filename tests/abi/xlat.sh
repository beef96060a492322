#!/usr/bin/env bash
# The new struct is checked by the compat layer and sized in dm_op().
set -eu
tree=$1
grep -E '^\?[[:space:]]+dm_op_set_device_dirty_reporting[[:space:]]+hvm/dm_op.h$' \
    "$tree/xen/include/xlat.lst"
grep -E '^CHECK_dm_op_set_device_dirty_reporting;$' "$tree/xen/arch/x86/hvm/dm.c"
grep -E '\[XEN_DMOP_set_device_dirty_reporting\] *= sizeof\(struct xen_dm_op_set_device_dirty_reporting\),' \
    "$tree/xen/arch/x86/hvm/dm.c"
grep -E 'xen_dm_op_set_device_dirty_reporting_t set_device_dirty_reporting;' \
    "$tree/xen/include/public/hvm/dm_op.h"

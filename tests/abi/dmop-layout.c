/*
 * ABI of XEN_DMOP_set_device_dirty_reporting, from the patched public
 * header as a caller compiles it (64- and 32-bit).  BASE_DM_OP_SIZE is
 * sizeof(struct xen_dm_op) in the unpatched header: the new member must
 * not grow the union.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <xen/hvm/dm_op.h>

typedef struct xen_dm_op_set_device_dirty_reporting op_t;

_Static_assert(XEN_DMOP_set_device_dirty_reporting == 21,
               "op number");
_Static_assert(XEN_DMOP_set_device_dirty_reporting == XEN_DMOP_nr_vcpus + 1,
               "next free op number");
_Static_assert(XEN_DMOP_DIRTY_REPORTING_ENABLE == 1u, "flag value");
_Static_assert(sizeof(op_t) == 12, "size");
_Static_assert(offsetof(op_t, id) == 0, "id");
_Static_assert(offsetof(op_t, flags) == 2, "flags");
_Static_assert(offsetof(op_t, sbdf) == 4, "sbdf");
_Static_assert(offsetof(op_t, machine_sbdf) == 8, "machine_sbdf");
_Static_assert(sizeof(((op_t *)0)->id) == sizeof(ioservid_t) &&
               sizeof(((op_t *)0)->flags) == 2 &&
               sizeof(((op_t *)0)->sbdf) == 4 &&
               sizeof(((op_t *)0)->machine_sbdf) == 4, "field widths");
/* The emulated function is encoded as the ioreq server ranges encode it. */
_Static_assert(XEN_DMOP_PCI_SBDF(1, 2, 3, 4) == 0x0001021c, "sbdf encoding");
_Static_assert(offsetof(struct xen_dm_op, u.set_device_dirty_reporting) == 8,
               "union member");
_Static_assert(sizeof(struct xen_dm_op) == BASE_DM_OP_SIZE,
               "struct xen_dm_op must keep its size");

int main(void)
{
    printf("op %u, size %zu, xen_dm_op %zu\n",
           XEN_DMOP_set_device_dirty_reporting, sizeof(op_t),
           sizeof(struct xen_dm_op));
    return 0;
}

/*
 * ABI of XEN_DOMCTL_get_device_dirty_reporting, from the patched public
 * header as a toolstack compiles it (64- and 32-bit: a 32-bit toolstack
 * must see the same layout as a 64-bit hypervisor).  BASE_DOMCTL_SIZE is
 * sizeof(struct xen_domctl) in the unpatched header: the new member must
 * not grow the union.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <xen/domctl.h>

typedef struct xen_domctl_dirty_reporting_device dev_t_;
typedef struct xen_domctl_get_device_dirty_reporting op_t;

_Static_assert(XEN_DOMCTL_get_device_dirty_reporting == 91, "domctl number");
_Static_assert(XEN_DOMCTL_get_device_dirty_reporting ==
               XEN_DOMCTL_get_domain_state + 1, "next free domctl number");
_Static_assert(sizeof(dev_t_) == 16, "device entry size");
_Static_assert(offsetof(dev_t_, sbdf) == 0, "sbdf");
_Static_assert(offsetof(dev_t_, flags) == 4, "flags");
_Static_assert(offsetof(dev_t_, reason) == 6, "reason");
_Static_assert(offsetof(dev_t_, server) == 8, "server");
_Static_assert(offsetof(dev_t_, pad) == 10, "pad");
_Static_assert(offsetof(dev_t_, emulated_sbdf) == 12, "emulated_sbdf");
_Static_assert(sizeof(((dev_t_ *)0)->sbdf) == 4 &&
               sizeof(((dev_t_ *)0)->flags) == 2 &&
               sizeof(((dev_t_ *)0)->reason) == 2 &&
               sizeof(((dev_t_ *)0)->server) == 2 &&
               sizeof(((dev_t_ *)0)->pad) == 2 &&
               sizeof(((dev_t_ *)0)->emulated_sbdf) == 4,
               "entry field widths");
_Static_assert(XEN_DOMCTL_DIRTY_DEV_DECLARED == 1u &&
               XEN_DOMCTL_DIRTY_DEV_BUS_MASTER == 2u, "device flags");
_Static_assert(XEN_DOMCTL_DIRTY_REASON_NONE == 0 &&
               XEN_DOMCTL_DIRTY_REASON_NOT_REPORTED == 1 &&
               XEN_DOMCTL_DIRTY_REASON_SHARED_PT == 2 &&
               XEN_DOMCTL_DIRTY_REASON_UNTRAPPED == 3, "reasons");
_Static_assert(XEN_DOMCTL_DIRTY_DOM_SHARED_PT == 1u &&
               XEN_DOMCTL_DIRTY_DOM_LOG_DIRTY == 2u &&
               XEN_DOMCTL_DIRTY_DOM_LATCHED == 4u, "domain flags");
_Static_assert(XEN_DOMCTL_DIRTY_LATCH_BUS_MASTER == 1 &&
               XEN_DOMCTL_DIRTY_LATCH_REVOKED == 2, "latch causes");
_Static_assert(sizeof(op_t) == 24, "op size, same for 32- and 64-bit");
_Static_assert(offsetof(op_t, flags) == 0, "flags");
_Static_assert(offsetof(op_t, nr_devices) == 4, "nr_devices");
_Static_assert(offsetof(op_t, latch_sbdf) == 8, "latch_sbdf");
_Static_assert(offsetof(op_t, latch_cause) == 12, "latch_cause");
_Static_assert(offsetof(op_t, pad) == 14, "pad");
_Static_assert(offsetof(op_t, devices) == 16, "devices handle, 64-bit");
_Static_assert(sizeof(((op_t *)0)->devices) == 8, "64-bit guest handle");
_Static_assert(offsetof(struct xen_domctl, u.get_device_dirty_reporting) ==
               offsetof(struct xen_domctl, u), "union member");
_Static_assert(sizeof(struct xen_domctl) == BASE_DOMCTL_SIZE,
               "struct xen_domctl must keep its size");

int main(void)
{
    printf("domctl %u, entry %zu, op %zu, xen_domctl %zu\n",
           XEN_DOMCTL_get_device_dirty_reporting, sizeof(dev_t_),
           sizeof(op_t), sizeof(struct xen_domctl));
    return 0;
}

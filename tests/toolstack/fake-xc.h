/* Test doubles of libxenctrl/libxenstore: see fake-xc.c. */
#ifndef FAKE_XC_H
#define FAKE_XC_H

#include <stdbool.h>
#include <stdint.h>

#include <xenctrl.h>

/* Queries answered since the last fake_xc_set(). */
extern unsigned int fake_xc_queries;

/*
 * The next queries return @nr devices @d and domain flags @flags, or fail
 * with @err if it is not 0; with @grow_once the domain gains a device
 * after the first query.  No latch.
 */
void fake_xc_set(const xen_domctl_dirty_reporting_device_t *d,
                 unsigned int nr, uint32_t flags, int err, bool grow_once);

/* And the domain's latch (with XEN_DOMCTL_DIRTY_DOM_LATCHED in flags). */
void fake_xc_set_latch(uint32_t sbdf, uint16_t cause);

/* The devices of the canned answer (from the environment if not set). */
unsigned int fake_xc_devices(const xen_domctl_dirty_reporting_device_t **d);

#endif /* FAKE_XC_H */

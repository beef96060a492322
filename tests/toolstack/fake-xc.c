/*
 * A hypervisor that is not there: test doubles of the few libxenctrl and
 * libxenstore calls libxl_ctx_alloc() and the DMA dirty reporting code
 * make, with canned answers to XEN_DOMCTL_get_device_dirty_reporting.
 *
 * Linked into a test program, or preloaded (LD_PRELOAD) under the real xl,
 * these definitions take precedence over the real libraries' for every
 * caller, so the real libxl and xl run unchanged without Xen.
 *
 * The canned answer comes from fake_xc_set(), or from the environment:
 *   FAKE_XC_DEVICES  "SBDF/FLAGS/REASON ..." in hex, e.g. "300/2/1"
 *                    (0000:03:00.0, bus mastering on,
 *                    XEN_DOMCTL_DIRTY_REASON_NOT_REPORTED)
 *   FAKE_XC_FLAGS    the domain's flags (XEN_DOMCTL_DIRTY_DOM_*), in hex
 *   FAKE_XC_LATCH    "SBDF/CAUSE" in hex: the domain's latch
 *   FAKE_XC_ERRNO    the call fails with this errno (e.g. 38, ENOSYS)
 *   FAKE_XC_GROW     the domain gains one device after the first call
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>
#include <xenstore.h>

#include "fake-xc.h"

#define MAX_DEVS 16

static xen_domctl_dirty_reporting_device_t devs[MAX_DEVS];
static unsigned int nr_devs;
static uint32_t dom_flags, latch_sbdf;
static uint16_t latch_cause;
static int fail_errno;
static bool grow;
static bool from_env_done;

unsigned int fake_xc_queries;

void fake_xc_set(const xen_domctl_dirty_reporting_device_t *d,
                 unsigned int nr, uint32_t flags, int err, bool grow_once)
{
    if ( nr > MAX_DEVS )
        abort();
    memcpy(devs, d, nr * sizeof(*d));
    nr_devs = nr;
    dom_flags = flags;
    fail_errno = err;
    grow = grow_once;
    latch_sbdf = 0;
    latch_cause = 0;
    fake_xc_queries = 0;
    from_env_done = true;
}

void fake_xc_set_latch(uint32_t sbdf, uint16_t cause)
{
    latch_sbdf = sbdf;
    latch_cause = cause;
}

static void from_env(void)
{
    const char *s = getenv("FAKE_XC_DEVICES");
    unsigned int sbdf, flags, reason;
    int n;

    from_env_done = true;
    while ( s && sscanf(s, " %x/%x/%x%n", &sbdf, &flags, &reason, &n) == 3 &&
            nr_devs < MAX_DEVS )
    {
        devs[nr_devs++] = (xen_domctl_dirty_reporting_device_t){
            .sbdf = sbdf, .flags = flags, .reason = reason };
        s += n;
    }
    if ( getenv("FAKE_XC_FLAGS") )
        dom_flags = strtoul(getenv("FAKE_XC_FLAGS"), NULL, 16);
    if ( (s = getenv("FAKE_XC_LATCH")) &&
         sscanf(s, "%x/%x", &sbdf, &reason) == 2 )
    {
        latch_sbdf = sbdf;
        latch_cause = reason;
    }
    if ( getenv("FAKE_XC_ERRNO") )
        fail_errno = atoi(getenv("FAKE_XC_ERRNO"));
    grow = getenv("FAKE_XC_GROW");
}

unsigned int fake_xc_devices(const xen_domctl_dirty_reporting_device_t **d)
{
    if ( !from_env_done )
        from_env();
    *d = devs;

    return nr_devs;
}

int xc_domain_get_device_dirty_reporting(
    xc_interface *xch, uint32_t domid, uint32_t *flags, uint32_t *latch_s,
    uint16_t *latch_c, uint32_t *nr_devices,
    xen_domctl_dirty_reporting_device_t *buf)
{
    unsigned int i;

    if ( !from_env_done )
        from_env();
    fake_xc_queries++;

    if ( fail_errno )
    {
        errno = fail_errno;
        return -1;
    }

    for ( i = 0; i < nr_devs && i < *nr_devices; i++ )
        buf[i] = devs[i];
    *nr_devices = nr_devs;
    *flags = dom_flags;
    if ( latch_s )
        *latch_s = latch_sbdf;
    if ( latch_c )
        *latch_c = latch_cause;

    /* A device is assigned between this call and the next. */
    if ( grow && nr_devs < MAX_DEVS )
    {
        /* 0000:07:NN.0, NN its index: bus mastering off, covered. */
        devs[nr_devs] = (xen_domctl_dirty_reporting_device_t){
            .sbdf = 0x00000700 | (nr_devs << 3), .flags = 0, .reason = 0 };
        nr_devs++;
        grow = false;
    }

    return 0;
}

/* Enough of an interface handle for libxl_ctx_alloc() and _free(). */
static char fake_handle;

xc_interface *xc_interface_open(xentoollog_logger *logger,
                                xentoollog_logger *dombuild_logger,
                                unsigned open_flags)
{
    return (xc_interface *)&fake_handle;
}

int xc_interface_close(xc_interface *xch)
{
    return 0;
}

struct xs_handle *xs_open(unsigned long flags)
{
    return (struct xs_handle *)&fake_handle;
}

void xs_close(struct xs_handle *xsh)
{
}

/* xl sizes its CPU masks at start-up. */
int xc_get_max_cpus(xc_interface *xch)
{
    return 8;
}

int xc_get_max_nodes(xc_interface *xch)
{
    return 1;
}

/* xl names the domain it was given: "/local/domain/N/name". */
void *xs_read(struct xs_handle *h, xs_transaction_t t, const char *path,
              unsigned int *len)
{
    const char *tail = strrchr(path, '/');
    char *name;

    if ( !tail || strcmp(tail, "/name") || !(name = strdup("guest")) )
    {
        errno = ENOENT;
        return NULL;
    }
    if ( len )
        *len = strlen(name);

    return name;
}

/*
 * Preloaded under the real xl with fake-xc.c: the two libxl calls of
 * "xl migrate" and "xl pci-list" that would need xenstore.
 *
 * libxl_retrieve_domain_configuration() is the first thing xl migrate does
 * after its PCI check; the fake says so on stderr and fails, which stops
 * xl before it runs ssh: "went past the check" is then visible and safe.
 *
 * libxl_device_pci_list() lists the devices of FAKE_XC_DEVICES (see
 * fake-xc.c), with virtual slot 4, 5, ... in that order, and the
 * dma_dirty_reporting of each from FAKE_PCI_MODES, one letter per device
 * ('s' sweep, 'e' external, anything else or none off).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>

#include "fake-xc.h"

int libxl_retrieve_domain_configuration(libxl_ctx *ctx, uint32_t domid,
                                        libxl_domain_config *d_config,
                                        const libxl_asyncop_how *ao_how)
{
    fprintf(stderr, "FAKE: retrieving the configuration of domain %u\n",
            domid);
    return ERROR_FAIL;
}

libxl_device_pci *libxl_device_pci_list(libxl_ctx *ctx, uint32_t domid,
                                        int *num)
{
    const xen_domctl_dirty_reporting_device_t *d;
    unsigned int i, nr = fake_xc_devices(&d);
    libxl_device_pci *list = calloc(nr + 1, sizeof(*list));
    const char *modes = getenv("FAKE_PCI_MODES") ?: "";

    *num = 0;
    for ( i = 0; list && i < nr; i++ )
    {
        libxl_device_pci *p = &list[(*num)++];

        libxl_device_pci_init(p);
        p->domain = d[i].sbdf >> 16;
        p->bus = (d[i].sbdf >> 8) & 0xff;
        p->dev = (d[i].sbdf >> 3) & 0x1f;
        p->func = d[i].sbdf & 7;
        p->vdevfn = (4 + i) << 3;
        if ( i < strlen(modes) )
            p->dma_dirty_reporting =
                modes[i] == 's' ? LIBXL_DMA_DIRTY_REPORTING_SWEEP :
                modes[i] == 'e' ? LIBXL_DMA_DIRTY_REPORTING_EXTERNAL :
                LIBXL_DMA_DIRTY_REPORTING_OFF;
    }

    return list;
}

/* xl asks at start-up (to decide about autoballooning). */
const libxl_version_info *libxl_get_version_info(libxl_ctx *ctx)
{
    static libxl_version_info info = {
        .xen_version_major = 4,
        .xen_version_minor = 21,
        .xen_version_extra = (char *)"-fake",
        .commandline = (char *)"dom0_mem=1024M",
    };

    return &info;
}

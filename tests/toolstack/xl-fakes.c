/*
 * Preloaded under the real xl with fake-xc.c: the two libxl calls of
 * "xl migrate" and "xl pci-list" that would need xenstore.
 *
 * libxl_retrieve_domain_configuration() is the first thing xl migrate does
 * after its PCI check; the fake says so on stderr and fails, which stops
 * xl before it runs ssh: "went past the check" is then visible and safe.
 *
 * libxl_device_pci_list() lists the devices of FAKE_XC_DEVICES (see
 * fake-xc.c), with virtual slot 4, 5, ... in that order.
 */
#include <stdio.h>
#include <stdlib.h>

#include <libxl.h>

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
    const char *s = getenv("FAKE_XC_DEVICES");
    libxl_device_pci *list = calloc(16, sizeof(*list));
    unsigned int sbdf, flags, error;
    int n;

    *num = 0;
    while ( list && s &&
            sscanf(s, " %x/%x/%x%n", &sbdf, &flags, &error, &n) == 3 &&
            *num < 16 )
    {
        libxl_device_pci *p = &list[(*num)++];

        libxl_device_pci_init(p);
        p->domain = sbdf >> 16;
        p->bus = (sbdf >> 8) & 0xff;
        p->dev = (sbdf >> 3) & 0x1f;
        p->func = sbdf & 7;
        p->vdevfn = (4 + *num - 1) << 3;
        s += n;
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

/*
 * Unit tests of libxl_domain_pci_dirty_reporting(): the real libxenlight of
 * the patched tree, over canned answers of
 * XEN_DOMCTL_get_device_dirty_reporting (fake-xc.c).  Also the
 * dma_dirty_reporting PCI option: its JSON (the stored domain
 * configuration) and xl's parse of it in the real libxlutil, loaded with
 * dlopen() through this program's rpath.
 *
 * Each check prints "ok   NAME" or "FAIL NAME"; the exit status is non-zero
 * if any failed.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <libxlutil.h>

#include "fake-xc.h"

#ifndef LIBXL_HAVE_PCI_DIRTY_REPORTING
#error "libxl.h lacks LIBXL_HAVE_PCI_DIRTY_REPORTING"
#endif
#ifndef LIBXL_HAVE_DEVICE_PCI_DMA_DIRTY_REPORTING
#error "libxl.h lacks LIBXL_HAVE_DEVICE_PCI_DMA_DIRTY_REPORTING"
#endif

#define DEV(s, f, r) { .sbdf = (s), .flags = (f), .reason = (r) }
#define DECL XEN_DOMCTL_DIRTY_DEV_DECLARED
#define BM   XEN_DOMCTL_DIRTY_DEV_BUS_MASTER

static unsigned int failures;
static libxl_ctx *ctx;

static void check(bool ok, const char *name)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", name);
    failures += !ok;
}

static libxl_pci_dirty_reporting *list;
static int num;
/* After a failed query: were the outputs left alone? */
static bool untouched;

static int query(const xen_domctl_dirty_reporting_device_t *d,
                 unsigned int nr, uint32_t flags, int err, bool grow)
{
    int rc;

    libxl_pci_dirty_reporting_list_free(list, num);
    list = (void *)1; /* Must be overwritten on success. */
    num = -1;
    fake_xc_set(d, nr, flags, err, grow);

    rc = libxl_domain_pci_dirty_reporting(ctx, 5, &list, &num);
    if ( rc )
    {
        untouched = list == (void *)1 && num == -1;
        list = NULL;
        num = 0;
    }

    return rc;
}

static bool entry_is(int i, int seg, int bus, int dev, int func,
                     bool declared, bool bm, libxl_pci_dirty_reason reason)
{
    const libxl_pci_dirty_reporting *e = &list[i];

    return i < num && e->domain == seg && e->bus == bus && e->dev == dev &&
           e->func == func && e->declared == declared &&
           e->bus_master == bm && e->reason == reason;
}

/* The dma_dirty_reporting key of a PCI_SPEC_STRING, as xl parses it. */
static void check_pci_spec(void)
{
    void *h = dlopen("libxlutil.so", RTLD_NOW);
    XLU_Config *(*init)(FILE *, const char *);
    int (*parse)(XLU_Config *, libxl_device_pci *, const char *);
    void (*destroy)(XLU_Config *);
    static const struct {
        const char *spec;
        int ok;
        libxl_dma_dirty_reporting mode;
    } t[] = {
        { "01:00.0", 1, LIBXL_DMA_DIRTY_REPORTING_OFF },
        { "01:00.0,dma_dirty_reporting=off", 1, LIBXL_DMA_DIRTY_REPORTING_OFF },
        { "01:00.0,dma_dirty_reporting=sweep", 1,
          LIBXL_DMA_DIRTY_REPORTING_SWEEP },
        { "01:00.0,permissive=1,dma_dirty_reporting=external,seize=1", 1,
          LIBXL_DMA_DIRTY_REPORTING_EXTERNAL },
        { "01:00.0,dma_dirty_reporting=on", 0, 0 },
        { "01:00.0,dma_dirty_reporting=", 0, 0 },
        { "01:00.0,dma_dirty_reporting=1", 0, 0 },
        { "01:00.0,dma_dirty_reportin=sweep", 0, 0 },
    };
    unsigned int i;

    if ( !h )
    {
        printf("FAIL xlu: dlopen libxlutil.so: %s\n", dlerror());
        failures++;
        return;
    }
    *(void **)&init = dlsym(h, "xlu_cfg_init");
    *(void **)&parse = dlsym(h, "xlu_pci_parse_spec_string");
    *(void **)&destroy = dlsym(h, "xlu_cfg_destroy");
    if ( !init || !parse || !destroy )
    {
        printf("FAIL xlu: libxlutil.so lacks a symbol\n");
        failures++;
        return;
    }

    for ( i = 0; i < sizeof(t) / sizeof(t[0]); i++ )
    {
        char *msg = NULL, name[160];
        size_t len = 0;
        FILE *report = open_memstream(&msg, &len);
        XLU_Config *cfg = init(report, "test");
        libxl_device_pci pci;
        int rc;

        libxl_device_pci_init(&pci);
        /* The key, when given, must set the field whatever it was. */
        if ( strstr(t[i].spec, "dma_dirty_reporting=") )
            pci.dma_dirty_reporting = (t[i].mode + 1) % 3;
        rc = parse(cfg, &pci, t[i].spec);
        destroy(cfg);
        fclose(report);

        snprintf(name, sizeof(name), "xlu: \"%s\" %s", t[i].spec,
                 t[i].ok ? "parses" : "is refused");
        if ( t[i].ok )
            check(!rc && pci.bus == 1 && pci.dma_dirty_reporting == t[i].mode,
                  name);
        else if ( strstr(t[i].spec, "reportin=") )
            check(rc, name);
        else
        {
            check(rc && msg && strstr(msg, "dma_dirty_reporting") &&
                  strstr(msg, "off, sweep or external"), name);
            if ( rc && msg && !strstr(msg, "off, sweep or external") )
                printf("    message: %s\n", msg);
        }
        libxl_device_pci_dispose(&pci);
        free(msg);
    }

    /* bm_authoritative: off unless said, and what is said. */
    for ( i = 0; i < 3; i++ )
    {
        static const char *const spec[] = {
            "01:00.0", "01:00.0,bm_authoritative=1",
            "01:00.0,bm_authoritative=0",
        };
        XLU_Config *cfg = init(stderr, "test");
        libxl_device_pci pci;
        char name[160];
        int rc;

        libxl_device_pci_init(&pci);
        pci.bm_authoritative = i == 2;
        rc = parse(cfg, &pci, spec[i]);
        destroy(cfg);
        snprintf(name, sizeof(name), "xlu: \"%s\": bm_authoritative %d",
                 spec[i], i == 1);
        check(!rc && pci.bm_authoritative == (i == 1), name);
        libxl_device_pci_dispose(&pci);
    }
}

/* The option is in the domain's stored configuration (JSON). */
static void check_pci_json(void)
{
    libxl_device_pci pci, back;
    char *json;
    libxl_dma_dirty_reporting m;

    libxl_device_pci_init(&pci);
    libxl_device_pci_init(&back);
    pci.bus = 3;
    pci.dma_dirty_reporting = LIBXL_DMA_DIRTY_REPORTING_EXTERNAL;
    json = libxl_device_pci_to_json(ctx, &pci);
    check(json && strstr(json, "\"dma_dirty_reporting\": \"external\"") &&
          !libxl_device_pci_from_json(ctx, &back, json) &&
          back.bus == 3 &&
          back.dma_dirty_reporting == LIBXL_DMA_DIRTY_REPORTING_EXTERNAL,
          "JSON of libxl_device_pci keeps dma_dirty_reporting");
    free(json);
    libxl_device_pci_dispose(&back);
    libxl_device_pci_init(&back);

    pci.bm_authoritative = true;
    json = libxl_device_pci_to_json(ctx, &pci);
    check(json && strstr(json, "\"bm_authoritative\": true") &&
          !libxl_device_pci_from_json(ctx, &back, json) &&
          back.bm_authoritative,
          "JSON of libxl_device_pci keeps bm_authoritative");
    free(json);
    libxl_device_pci_dispose(&back);
    libxl_device_pci_init(&back);
    pci.bm_authoritative = false;

    pci.dma_dirty_reporting = LIBXL_DMA_DIRTY_REPORTING_OFF;
    json = libxl_device_pci_to_json(ctx, &pci);
    check(json && !libxl_device_pci_from_json(ctx, &back, json) &&
          back.dma_dirty_reporting == LIBXL_DMA_DIRTY_REPORTING_OFF,
          "JSON of libxl_device_pci: off by default");
    free(json);
    libxl_device_pci_dispose(&back);
    libxl_device_pci_dispose(&pci);

    check(!strcmp(libxl_dma_dirty_reporting_to_string(
                      LIBXL_DMA_DIRTY_REPORTING_SWEEP), "sweep") &&
          !strcmp(libxl_dma_dirty_reporting_to_string(
                      LIBXL_DMA_DIRTY_REPORTING_EXTERNAL), "external") &&
          !strcmp(libxl_dma_dirty_reporting_to_string(
                      LIBXL_DMA_DIRTY_REPORTING_OFF), "off") &&
          LIBXL_DMA_DIRTY_REPORTING_OFF == 0 &&
          libxl_dma_dirty_reporting_from_string("on", &m),
          "IDL enum: libxl_dma_dirty_reporting strings, OFF is 0");
}

int main(void)
{
    xentoollog_logger *lg =
        (xentoollog_logger *)xtl_createlogger_stdiostream(stderr,
                                                          XTL_ERROR, 0);
    int rc;

    if ( libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, lg) )
    {
        printf("FAIL libxl_ctx_alloc over the fake hypervisor\n");
        return 1;
    }

    rc = query(NULL, 0, 0, 0, false);
    check(!rc && num == 0 && list == NULL, "no device: empty list");
    check(fake_xc_queries == 1, "no device: one query, no retry");

    {
        const xen_domctl_dirty_reporting_device_t d[] = {
            DEV(0x00000020, DECL | BM, 0),
            DEV(0x00000028, DECL, 0),
        };

        rc = query(d, 2, 0, 0, false);
        check(!rc && num == 2 &&
              entry_is(0, 0, 0, 4, 0, true, true, LIBXL_PCI_DIRTY_REASON_NONE) &&
              entry_is(1, 0, 0, 5, 0, true, false, LIBXL_PCI_DIRTY_REASON_NONE),
              "all declared: two entries, reason NONE");
        check(fake_xc_queries == 2, "count, then fetch");
    }

    {
        const xen_domctl_dirty_reporting_device_t d[] = {
            DEV(0x00000020, DECL | BM, 0),
            DEV(0x00000300, BM, XEN_DOMCTL_DIRTY_REASON_NOT_REPORTED),
        };

        rc = query(d, 2, 0, 0, false);
        check(!rc && num == 2 &&
              entry_is(1, 0, 3, 0, 0, false, true,
                       LIBXL_PCI_DIRTY_REASON_NOT_REPORTED),
              "bus mastering on, undeclared: NOT_REPORTED");
        check(!strcmp(libxl_pci_dirty_reason_describe(list[1].reason),
                      "bus mastering enabled and no emulator reports its "
                      "DMA writes (set dma_dirty_reporting=sweep, see "
                      "xl-pci-configuration(5))"),
              "NOT_REPORTED described in words");
    }

    {
        const xen_domctl_dirty_reporting_device_t d[] = {
            DEV(0x00000020, DECL | BM, XEN_DOMCTL_DIRTY_REASON_SHARED_PT),
            DEV(0x00000028, 0, 0),
        };

        rc = query(d, 2, XEN_DOMCTL_DIRTY_DOM_SHARED_PT, 0, false);
        check(!rc && num == 2 &&
              entry_is(0, 0, 0, 4, 0, true, true,
                       LIBXL_PCI_DIRTY_REASON_SHARED_PT) &&
              entry_is(1, 0, 0, 5, 0, false, false,
                       LIBXL_PCI_DIRTY_REASON_NONE),
              "shared page tables: declared + bus mastering is SHARED_PT");
        check(strstr(libxl_pci_dirty_reason_describe(list[0].reason),
                     "shares the guest's page tables") != NULL,
              "SHARED_PT described in words");
    }

    {
        const xen_domctl_dirty_reporting_device_t d[] = {
            DEV(0x0001fffd, BM, 9),
        };

        rc = query(d, 1, 0, 0, false);
        check(!rc && num == 1 &&
              entry_is(0, 1, 0xff, 0x1f, 5, false, true,
                       LIBXL_PCI_DIRTY_REASON_UNKNOWN),
              "SBDF decoded (0001:ff:1f.5); an unknown reason is UNKNOWN");
        check(strstr(libxl_pci_dirty_reason_describe(list[0].reason),
                     "does not know") != NULL,
              "UNKNOWN described in words");
    }

    {
        const xen_domctl_dirty_reporting_device_t d[] = {
            DEV(0x00000020, BM, XEN_DOMCTL_DIRTY_REASON_NOT_REPORTED),
        };

        rc = query(d, 1, 0, 0, true);
        check(!rc && num == 2 &&
              entry_is(0, 0, 0, 4, 0, false, true,
                       LIBXL_PCI_DIRTY_REASON_NOT_REPORTED) &&
              entry_is(1, 0, 7, 1, 0, false, false,
                       LIBXL_PCI_DIRTY_REASON_NONE) &&
              fake_xc_queries == 3,
              "device assigned between two queries: retried, both listed");
    }

    {
        const xen_domctl_dirty_reporting_device_t d[] = {
            DEV(0x00000020, 0, XEN_DOMCTL_DIRTY_REASON_UNTRAPPED),
        };

        rc = query(d, 1, 0, 0, false);
        check(!rc && num == 1 &&
              entry_is(0, 0, 0, 4, 0, false, false,
                       LIBXL_PCI_DIRTY_REASON_UNTRAPPED),
              "config writes not trapped: UNTRAPPED");
        check(strstr(libxl_pci_dirty_reason_describe(list[0].reason),
                     "does not see writes to its config space") != NULL,
              "UNTRAPPED described in words");
    }

    {
        const xen_domctl_dirty_reporting_device_t d[] = {
            DEV(0x00000020, 0, XEN_DOMCTL_DIRTY_REASON_BM_UNWATCHED),
        };

        rc = query(d, 1, 0, 0, false);
        check(!rc && num == 1 &&
              entry_is(0, 0, 0, 4, 0, false, false,
                       LIBXL_PCI_DIRTY_REASON_BM_UNWATCHED),
              "display device, bus mastering off: BM_UNWATCHED");
        check(strstr(libxl_pci_dirty_reason_describe(list[0].reason),
                     "bm_authoritative=1") != NULL,
              "BM_UNWATCHED described in words, with the remedy");
    }

    {
        const xen_domctl_dirty_reporting_device_t d[] = {
            DEV(0x00000020, 0, 0),
            DEV(0x00000028, 0, 0),
        };
        uint32_t latched = XEN_DOMCTL_DIRTY_DOM_LATCHED;

        fake_xc_set(d, 2, latched | XEN_DOMCTL_DIRTY_DOM_LOG_DIRTY, 0,
                    false);
        fake_xc_set_latch(0x28, XEN_DOMCTL_DIRTY_LATCH_BUS_MASTER);
        libxl_pci_dirty_reporting_list_free(list, num);
        rc = libxl_domain_pci_dirty_reporting(ctx, 5, &list, &num);
        check(!rc && num == 2 &&
              entry_is(0, 0, 0, 4, 0, false, false,
                       LIBXL_PCI_DIRTY_REASON_NONE) &&
              entry_is(1, 0, 0, 5, 0, false, false,
                       LIBXL_PCI_DIRTY_REASON_LATCHED),
              "latched during log-dirty: that device is LATCHED");
        check(strstr(libxl_pci_dirty_reason_describe(list[1].reason),
                     "during log-dirty mode") != NULL,
              "LATCHED described in words");

        fake_xc_set(d, 2, latched, 0, false);
        fake_xc_set_latch(0x28, XEN_DOMCTL_DIRTY_LATCH_BUS_MASTER);
        libxl_pci_dirty_reporting_list_free(list, num);
        rc = libxl_domain_pci_dirty_reporting(ctx, 5, &list, &num);
        check(!rc && num == 2 &&
              entry_is(1, 0, 0, 5, 0, false, false,
                       LIBXL_PCI_DIRTY_REASON_NONE),
              "latched, log-dirty off: nothing blocks (the next enable clears it)");
    }

    {
        const xen_domctl_dirty_reporting_device_t d[] = {
            DEV(0x00000020, DECL | BM, 0),
            DEV(0x00000300, BM, XEN_DOMCTL_DIRTY_REASON_NOT_REPORTED),
            DEV(0x0001fffd, 0, XEN_DOMCTL_DIRTY_REASON_UNTRAPPED),
        };
        libxl_string_list lines = NULL;
        libxl_string_list untouched_lines = (libxl_string_list)&lines;

        fake_xc_set(d, 3, 0, 0, false);
        rc = libxl_domain_pci_dirty_blocking(ctx, 5, &lines);
        check(!rc && libxl_string_list_length(&lines) == 2 && lines &&
              lines[2] == NULL &&
              !strcmp(lines[0], "0000:03:00.0: bus mastering enabled and no "
                                "emulator reports its DMA writes (set "
                                "dma_dirty_reporting=sweep, see "
                                "xl-pci-configuration(5))") &&
              !strncmp(lines[1], "0001:ff:1f.5: Xen does not see writes",
                       strlen("0001:ff:1f.5: Xen does not see writes")),
              "blocking lines: one per blocking device, address and reason");
        libxl_string_list_dispose(&lines);

        fake_xc_set(d, 1, 0, 0, false);
        rc = libxl_domain_pci_dirty_blocking(ctx, 5, &lines);
        check(!rc && lines && !lines[0],
              "blocking lines: none when every device is covered");
        libxl_string_list_dispose(&lines);

        fake_xc_set(NULL, 0, 0, ENOSYS, false);
        lines = untouched_lines;
        rc = libxl_domain_pci_dirty_blocking(ctx, 5, &lines);
        check(rc == ERROR_NI && lines == untouched_lines,
              "blocking lines: old hypervisor, ERROR_NI, nothing returned");
    }

    rc = query(NULL, 0, 0, ENOSYS, false);
    check(rc == ERROR_NI && untouched,
          "old hypervisor (ENOSYS): ERROR_NI, outputs untouched");
    rc = query(NULL, 0, 0, EOPNOTSUPP, false);
    check(rc == ERROR_NI, "EOPNOTSUPP: ERROR_NI");
    rc = query(NULL, 0, 0, EPERM, false);
    check(rc == ERROR_FAIL, "XSM refuses (EPERM): ERROR_FAIL");
    rc = query(NULL, 0, 0, ESRCH, false);
    check(rc == ERROR_DOMAIN_NOTFOUND, "no such domain: ERROR_DOMAIN_NOTFOUND");

    check(!strcmp(libxl_pci_dirty_reason_to_string(
                      LIBXL_PCI_DIRTY_REASON_SHARED_PT), "shared_pt"),
          "IDL enum: libxl_pci_dirty_reason_to_string");

    check_pci_json();
    check_pci_spec();

    libxl_ctx_free(ctx);
    xtl_logger_destroy(lg);

    printf("%s\n", failures ? "FAILED" : "all ok");

    return failures ? 1 : 0;
}

/*
 * ABI test of xendevicemodel_set_device_dirty_reporting(): what the library
 * hands to the hypercall layer, captured by test doubles.
 *
 * The real libxendevicemodel.so of the patched tree issues a DMOP one of two
 * ways: through libxencall (xencall3(__HYPERVISOR_dm_op, ...)) when
 * /dev/xen/privcmd cannot do IOCTL_PRIVCMD_DM_OP, or through that ioctl,
 * the only way a handle restricted with xendevicemodel_restrict() can work.
 * This program defines xencall_open(), xencall3() and friends, and open()
 * and ioctl() for /dev/xen/privcmd; being in the executable, they take
 * precedence over the real ones for the library's calls.
 *
 * Each check prints "ok   NAME" or "FAIL NAME"; the exit status is non-zero
 * if any failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <xencall.h>
#include <xendevicemodel.h>
#include <xen/sys/privcmd.h>

/* ---- what the doubles saw ---- */

static bool privcmd_present;   /* Does /dev/xen/privcmd exist? */
static int privcmd_fd = -1;
static domid_t restricted_to = DOMID_INVALID;
static int hypercall_errno;    /* Make the next DMOP fail with this. */

static unsigned int xcalls, ioctls;
static unsigned long last_domid, last_nr_bufs;
static unsigned char last_op[sizeof(struct xen_dm_op) + 16];
static size_t last_op_size;

/* ---- libxencall double ---- */

struct xencall_handle { int dummy; };
static struct xencall_handle the_xcall;

xencall_handle *xencall_open(struct xentoollog_logger *logger,
                             unsigned int open_flags)
{
    return &the_xcall;
}

int xencall_close(xencall_handle *xcall)
{
    return 0;
}

void *xencall_alloc_buffer(xencall_handle *xcall, size_t size)
{
    return calloc(1, size ?: 1);
}

void xencall_free_buffer(xencall_handle *xcall, void *p)
{
    free(p);
}

static int capture(unsigned long domid, unsigned long nr,
                   const void *buf, size_t size)
{
    last_domid = domid;
    last_nr_bufs = nr;
    last_op_size = size;
    memset(last_op, 0xee, sizeof(last_op));
    if ( size <= sizeof(last_op) )
        memcpy(last_op, buf, size);
    if ( hypercall_errno )
    {
        errno = hypercall_errno;
        return -1;
    }
    return 0;
}

int xencall3(xencall_handle *xcall, unsigned int op, uint64_t arg1,
             uint64_t arg2, uint64_t arg3)
{
    const xen_dm_op_buf_t *bufs = (const void *)(uintptr_t)arg3;

    xcalls++;
    if ( op != __HYPERVISOR_dm_op )
    {
        fprintf(stderr, "unexpected hypercall %u\n", op);
        abort();
    }

    return capture(arg1, arg2, bufs[0].h.p, bufs[0].size);
}

/* ---- /dev/xen/privcmd double ---- */

int open(const char *path, int flags, ...)
{
    mode_t mode = 0;

    if ( flags & O_CREAT )
    {
        va_list ap;

        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }

    if ( !strcmp(path, "/dev/xen/privcmd") )
    {
        if ( !privcmd_present )
        {
            errno = ENOENT;
            return -1;
        }
        privcmd_fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR);
        return privcmd_fd;
    }

    return syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

int ioctl(int fd, unsigned long req, ...)
{
    va_list ap;
    void *arg;

    va_start(ap, req);
    arg = va_arg(ap, void *);
    va_end(ap);

    if ( fd != privcmd_fd || privcmd_fd < 0 )
    {
        errno = ENOTTY;
        return -1;
    }

    ioctls++;
    if ( req == IOCTL_PRIVCMD_RESTRICT )
    {
        restricted_to = *(domid_t *)arg;
        return 0;
    }
    if ( req == IOCTL_PRIVCMD_DM_OP )
    {
        const privcmd_dm_op_t *uop = arg;

        /* The probe in xendevicemodel_open(). */
        if ( uop->dom == DOMID_INVALID && !uop->num )
            return 0;
        /* What Linux does for a restricted file. */
        if ( restricted_to != DOMID_INVALID && uop->dom != restricted_to )
        {
            errno = EPERM;
            return -1;
        }
        return capture(uop->dom, uop->num, uop->ubufs[0].uptr,
                       uop->ubufs[0].size);
    }

    errno = ENOTTY;
    return -1;
}

/* ---- checks ---- */

static unsigned int failures;

static void check(bool ok, const char *name)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", name);
    failures += !ok;
}

static void reset(void)
{
    xcalls = ioctls = 0;
    last_domid = last_nr_bufs = ~0UL;
    last_op_size = 0;
    hypercall_errno = 0;
}

/* The op the library sent, as Xen reads it: xen_dm_op with the new member. */
static bool op_is(uint16_t id, uint16_t flags, uint32_t sbdf,
                  uint32_t machine_sbdf)
{
    static const unsigned char zero[sizeof(struct xen_dm_op)];
    const struct xen_dm_op *op = (const void *)last_op;
    const struct xen_dm_op_set_device_dirty_reporting *d =
        &op->u.set_device_dirty_reporting;
    size_t tail = offsetof(struct xen_dm_op, u) + sizeof(*d);

    return last_op_size == sizeof(struct xen_dm_op) &&
           op->op == 21 && op->op == XEN_DMOP_set_device_dirty_reporting &&
           op->pad == 0 &&
           d->id == id && d->flags == flags && d->sbdf == sbdf &&
           d->machine_sbdf == machine_sbdf &&
           /* The rest of the union is zeroed, not stack garbage. */
           !memcmp(last_op + tail, zero, sizeof(struct xen_dm_op) - tail);
}

/*
 * The raw bytes, little-endian: id, flags, sbdf (emulated), machine_sbdf
 * at offsets 0, 2, 4, 8.
 */
static bool bytes_are(const unsigned char *want)
{
    return !memcmp(last_op + offsetof(struct xen_dm_op, u), want, 12);
}

/* The host device every call names: 0000:03:00.0. */
#define HOST 0x00000300U

int main(void)
{
    xendevicemodel_handle *dmod;
    int rc;

    /* 1. No privcmd DM_OP ioctl: the library goes through libxencall. */
    privcmd_present = false;
    dmod = xendevicemodel_open(NULL, 0);
    check(dmod != NULL, "open without privcmd");
    if ( !dmod )
        return 1;

    reset();
    rc = xendevicemodel_set_device_dirty_reporting(
        dmod, 7, 2, 0x0001, 0x03, 0x1f, 5, 0x00040608U,
        XEN_DMOP_DIRTY_REPORTING_ENABLE);
    check(rc == 0 && xcalls == 1, "declare: one __HYPERVISOR_dm_op");
    check(last_domid == 7 && last_nr_bufs == 1, "declare: domid 7, one buffer");
    check(op_is(2, 1, 0x000103fd, 0x00040608),
          "declare: op 21, server, flags, emulated and machine SBDF, rest zero");
    check(bytes_are((const unsigned char[]){ 0x02, 0x00, 0x01, 0x00,
                                             0xfd, 0x03, 0x01, 0x00,
                                             0x08, 0x06, 0x04, 0x00 }),
          "declare: byte layout id(2) flags(2) sbdf(4) machine_sbdf(4)");

    reset();
    rc = xendevicemodel_set_device_dirty_reporting(dmod, 7, 0, 0, 0, 4, 0,
                                                   HOST, 0);
    check(rc == 0 && op_is(0, 0, 4 << 3, HOST), "revoke: flags 0");

    reset();
    rc = xendevicemodel_set_device_dirty_reporting(dmod, 7, 0, 0, 0, 4, 0,
                                                   HOST, 2);
    check(rc == 0 && op_is(0, 2, 4 << 3, HOST),
          "unknown flag bits are passed on for Xen to refuse");

    reset();
    errno = 0;
    rc = xendevicemodel_set_device_dirty_reporting(dmod, 7, 0, 0, 0, 32, 0,
                                                   HOST, 1);
    check(rc == -1 && errno == EINVAL && !xcalls,
          "device 32: EINVAL, nothing issued");
    errno = 0;
    rc = xendevicemodel_set_device_dirty_reporting(dmod, 7, 0, 0, 0, 4, 8,
                                                   HOST, 1);
    check(rc == -1 && errno == EINVAL && !xcalls,
          "function 8: EINVAL, nothing issued");
    errno = 0;
    rc = xendevicemodel_set_device_dirty_reporting(dmod, 7, 0, 0, 0, 4, 0,
                                                   HOST, 0x10000);
    check(rc == -1 && errno == EINVAL && !xcalls,
          "flags above 16 bits: EINVAL, nothing issued");

    reset();
    hypercall_errno = EOPNOTSUPP;
    rc = xendevicemodel_set_device_dirty_reporting(dmod, 7, 0, 0, 0, 4, 0,
                                                   HOST, 1);
    check(rc == -1 && errno == EOPNOTSUPP,
          "old Xen: -1 with errno EOPNOTSUPP");
    reset();
    hypercall_errno = ENXIO;
    rc = xendevicemodel_set_device_dirty_reporting(dmod, 7, 0, 0, 0, 4, 0,
                                                   HOST, 1);
    check(rc == -1 && errno == ENXIO,
          "a function the server does not emulate: errno ENXIO");

    xendevicemodel_close(dmod);

    /* 2. privcmd with DM_OP: the ioctl, on a handle restricted to dom 9. */
    privcmd_present = true;
    dmod = xendevicemodel_open(NULL, 0);
    check(dmod != NULL, "open with privcmd");
    if ( !dmod )
        return 1;
    check(xendevicemodel_restrict(dmod, 9) == 0 && restricted_to == 9,
          "restrict to domain 9");

    reset();
    rc = xendevicemodel_set_device_dirty_reporting(
        dmod, 9, 1, 0, 0x02, 0x00, 1, HOST, XEN_DMOP_DIRTY_REPORTING_ENABLE);
    check(rc == 0 && ioctls == 1 && !xcalls,
          "restricted: issued as IOCTL_PRIVCMD_DM_OP, not a raw hypercall");
    check(last_domid == 9 && last_nr_bufs == 1 &&
          op_is(1, 1, 0x0201, HOST),
          "restricted: domid 9, op 21, same layout");

    reset();
    rc = xendevicemodel_set_device_dirty_reporting(
        dmod, 8, 1, 0, 0x02, 0x00, 1, HOST, XEN_DMOP_DIRTY_REPORTING_ENABLE);
    check(rc == -1 && errno == EPERM,
          "restricted: another domain refused with EPERM");

    xendevicemodel_close(dmod);

    printf("%s\n", failures ? "FAILED" : "all ok");

    return failures ? 1 : 0;
}

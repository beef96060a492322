/*
 * xen_set_device_dirty_reporting() of QEMU's include/hw/xen/xen_native.h,
 * built with QEMU's own flags (tests/qemu/compat.sh):
 *  - against a Xen without the call (CONFIG_XEN_DEVICE_DIRTY_REPORTING
 *    unset, Xen's headers from before the series): the compat version
 *    fails with ENOSYS (QEMU built without it) and touches nothing;
 *  - against the patched Xen: it calls
 *    xendevicemodel_set_device_dirty_reporting() (a test double here) with
 *    QEMU's handle, the ioreq server, the emulated device's address, the
 *    host device and the flag.
 * Prints "ok   NAME" / "FAIL NAME" lines.
 */
#include "qemu/osdep.h"
#include "hw/xen/xen_native.h"

xendevicemodel_handle *xen_dmod = (xendevicemodel_handle *)0x1000;
static int failed;

/* The device QEMU emulates for the host device, on bus 0xab. */
static PCIDevice dev = { .devfn = PCI_DEVFN(0x1f, 7) };
static BusState bus;

/* What pci_dev_bus_num() calls: QOM casts, the device's bus, its number. */
Object *object_dynamic_cast_assert(Object *obj, const char *typename,
                                   const char *file, int line,
                                   const char *func)
{
    return obj;
}

BusState *qdev_get_parent_bus(const DeviceState *d)
{
    return d == DEVICE(&dev) ? &bus : NULL;
}

int pci_bus_num(PCIBus *s)
{
    return (BusState *)s == &bus ? 0xab : -1;
}

static void check(bool ok, const char *name)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", name);
    failed += !ok;
}

#ifdef CONFIG_XEN_DEVICE_DIRTY_REPORTING
static struct {
    unsigned int calls;
    xendevicemodel_handle *dmod;
    domid_t domid;
    ioservid_t id;
    uint16_t segment;
    uint8_t bus, device, function;
    uint32_t machine_sbdf;
    unsigned int flags;
} seen;

int xendevicemodel_set_device_dirty_reporting(
    xendevicemodel_handle *dmod, domid_t domid, ioservid_t id,
    uint16_t segment, uint8_t bus, uint8_t device, uint8_t function,
    uint32_t machine_sbdf, unsigned int flags)
{
    seen.calls++;
    seen.dmod = dmod;
    seen.domid = domid;
    seen.id = id;
    seen.segment = segment;
    seen.bus = bus;
    seen.device = device;
    seen.function = function;
    seen.machine_sbdf = machine_sbdf;
    seen.flags = flags;
    errno = ENODEV;
    return seen.domid == 7 ? 0 : -1;
}

int main(void)
{
    int rc;

    rc = xen_set_device_dirty_reporting(7, 3, &dev, 0x00120308, true);
    check(rc == 0 && seen.calls == 1 && seen.dmod == xen_dmod &&
          seen.domid == 7 && seen.id == 3 && seen.segment == 0 &&
          seen.bus == 0xab && seen.device == 0x1f && seen.function == 7 &&
          seen.machine_sbdf == 0x00120308 &&
          seen.flags == XEN_DMOP_DIRTY_REPORTING_ENABLE,
          "patched Xen: declare calls libxendevicemodel with the server, the emulated device, the host device and ENABLE");
    rc = xen_set_device_dirty_reporting(7, 3, &dev, 0x00120308, false);
    check(rc == 0 && seen.calls == 2 && seen.bus == 0xab &&
          seen.function == 7 && seen.flags == 0,
          "patched Xen: revoke calls libxendevicemodel with flags 0");
    rc = xen_set_device_dirty_reporting(8, 3, &dev, 0x00120308, true);
    check(rc == -1 && errno == ENODEV && seen.calls == 3,
          "patched Xen: the library's error reaches the caller");

    return failed;
}
#else
int main(void)
{
    int rc;

    errno = 0;
    rc = xen_set_device_dirty_reporting(7, 3, &dev, 0x00120308, true);
    check(rc == -1 && errno == ENOSYS,
          "Xen without the call: declare fails with ENOSYS");
    errno = 0;
    rc = xen_set_device_dirty_reporting(7, 3, &dev, 0x00120308, false);
    check(rc == -1 && errno == ENOSYS,
          "Xen without the call: revoke fails with ENOSYS");
    check(XEN_DMOP_DIRTY_REPORTING_ENABLE == 1,
          "Xen without the call: XEN_DMOP_DIRTY_REPORTING_ENABLE has the ABI's value");

    return failed;
}
#endif

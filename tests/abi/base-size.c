/* sizeof(struct xen_dm_op) in the header it is compiled against. */
#include <stdio.h>
#include <stdint.h>
#include <xen/hvm/dm_op.h>

int main(void)
{
    printf("%zu\n", sizeof(struct xen_dm_op));
    return 0;
}

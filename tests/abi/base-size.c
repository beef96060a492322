/*
 * sizeof(struct xen_dm_op) and sizeof(struct xen_domctl) in the headers it
 * is compiled against, as "DM_OP DOMCTL".
 */
#include <stdio.h>
#include <stdint.h>
#include <xen/hvm/dm_op.h>
#include <xen/domctl.h>

int main(void)
{
    printf("%zu %zu\n", sizeof(struct xen_dm_op), sizeof(struct xen_domctl));
    return 0;
}

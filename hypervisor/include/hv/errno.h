/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypervisor-internal error names: the ABI's fixed values without the HV_
 * prefix. Functions return 0 or a negative value from this list.
 */
#ifndef HV_ERRNO_H
#define HV_ERRNO_H

#include <hvabi/errno.h>

#define EPERM HV_EPERM
#define ENOENT HV_ENOENT
#define ENXIO HV_ENXIO
#define ESRCH HV_ESRCH
#define EINTR HV_EINTR
#define EIO HV_EIO
#define E2BIG HV_E2BIG
#define ENOEXEC HV_ENOEXEC
#define EBADF HV_EBADF
#define EAGAIN HV_EAGAIN
#define ENOMEM HV_ENOMEM
#define EACCES HV_EACCES
#define EFAULT HV_EFAULT
#define EBUSY HV_EBUSY
#define EEXIST HV_EEXIST
#define ENODEV HV_ENODEV
#define EINVAL HV_EINVAL
#define ENOSPC HV_ENOSPC
#define ERANGE HV_ERANGE
#define ENOSYS HV_ENOSYS
#define ENODATA HV_ENODATA
#define ETIME HV_ETIME
#define EOVERFLOW HV_EOVERFLOW
#define ERESTART HV_ERESTART
#define EOPNOTSUPP HV_EOPNOTSUPP
#define ENOBUFS HV_ENOBUFS

#endif

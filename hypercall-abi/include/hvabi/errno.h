/* SPDX-License-Identifier: MIT */
/*
 * Error numbers returned by hypercalls (negated). Fixed by the ABI and
 * independent of any libc: the values are those of Xen's public errno list
 * (which match Linux/x86). Prefixed HV_ so that host code can include this
 * next to <errno.h>.
 */
#ifndef HVABI_ERRNO_H
#define HVABI_ERRNO_H

#define HV_EPERM 1		/* Operation not permitted */
#define HV_ENOENT 2		/* No such file or directory */
#define HV_ESRCH 3		/* No such process / domain */
#define HV_EINTR 4		/* Interrupted system call */
#define HV_EIO 5		/* I/O error */
#define HV_ENXIO 6		/* No such device or address */
#define HV_E2BIG 7		/* Arg list too long */
#define HV_ENOEXEC 8		/* Exec format error */
#define HV_EBADF 9		/* Bad file number */
#define HV_ECHILD 10		/* No child processes */
#define HV_EAGAIN 11		/* Try again */
#define HV_EWOULDBLOCK HV_EAGAIN
#define HV_ENOMEM 12		/* Out of memory */
#define HV_EACCES 13		/* Permission denied */
#define HV_EFAULT 14		/* Bad address */
#define HV_EBUSY 16		/* Device or resource busy */
#define HV_EEXIST 17		/* File exists */
#define HV_EXDEV 18		/* Cross-device link */
#define HV_ENODEV 19		/* No such device */
#define HV_EISDIR 21		/* Is a directory */
#define HV_EINVAL 22		/* Invalid argument */
#define HV_ENFILE 23		/* File table overflow */
#define HV_EMFILE 24		/* Too many open files */
#define HV_ENOSPC 28		/* No space left on device */
#define HV_EROFS 30		/* Read-only file system */
#define HV_EMLINK 31		/* Too many links */
#define HV_EDOM 33		/* Math argument out of domain of func */
#define HV_ERANGE 34		/* Math result not representable */
#define HV_EDEADLK 35		/* Resource deadlock would occur */
#define HV_ENAMETOOLONG 36	/* File name too long */
#define HV_ENOLCK 37		/* No record locks available */
#define HV_ENOSYS 38		/* Function not implemented */
#define HV_ENOTEMPTY 39		/* Directory not empty */
#define HV_ENODATA 61		/* No data available */
#define HV_ETIME 62		/* Timer expired */
#define HV_EBADMSG 74		/* Not a data message */
#define HV_EOVERFLOW 75		/* Value too large for defined data type */
#define HV_EILSEQ 84		/* Illegal byte sequence */
#define HV_ERESTART 85		/* Interrupted call should be restarted */
#define HV_ENOTSOCK 88		/* Socket operation on non-socket */
#define HV_EMSGSIZE 90		/* Message too large */
#define HV_EOPNOTSUPP 95	/* Operation not supported on transport */
#define HV_EADDRINUSE 98	/* Address already in use */
#define HV_EADDRNOTAVAIL 99	/* Cannot assign requested address */
#define HV_ENOBUFS 105		/* No buffer space available */
#define HV_EISCONN 106		/* Transport endpoint is already connected */
#define HV_ENOTCONN 107		/* Transport endpoint is not connected */
#define HV_ETIMEDOUT 110	/* Connection timed out */
#define HV_ECONNREFUSED 111	/* Connection refused */

#endif

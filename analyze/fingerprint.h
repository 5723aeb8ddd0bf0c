/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What ties a database to the trace it was imported from, stored in its
 * meta: the trace's inode identity (device, inode, size, mtime, ctime) and
 * its content (size and CRC-32 of every byte). The identity is a stat
 * away; the content costs a read of the file (a few ms per 20 MB, no
 * decompression) and is checked only when the identity changed. Nobody
 * can restore a ctime, so a trace written in place with its mtime put
 * back shows up, and a copy (new inode) is recognized by its content.
 */
#ifndef AN_FINGERPRINT_H
#define AN_FINGERPRINT_H

#include <stddef.h>

#include "common.h"

/* meta keys */
#define FP_KEY_STAT "trace_stat"
#define FP_KEY_CONTENT "trace_content"

#define FP_LEN 96

/* "dev:ino:size:mtime_ns:ctime_ns" of PATH into BUF; -1 with E set. */
int fp_stat(const char *path, char buf[FP_LEN], struct an_err *e);

/* "size:crc32" of the regular file PATH into BUF; -1 with E set. */
int fp_content(const char *path, char buf[FP_LEN], struct an_err *e);

#endif /* AN_FINGERPRINT_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The trace file: created new, mode 0600, never written through a symbolic
 * link; an existing trace is kept as FILE.old, as perf record does, an
 * empty file replaced.
 */
#ifndef BPFREC_OUTFILE_H
#define BPFREC_OUTFILE_H

/*
 * PATH can be created: nothing there, or a regular file (to be kept as
 * PATH.old, or removed if empty), in a directory we may write. Checked before the BPF load so
 * that a bad -o fails at once; outfile_create checks again.
 * Returns 0 or a negative errno, after a message "record: ..." on stderr.
 */
int outfile_check(const char *path);

/* Create PATH, moving a regular file there to PATH.old first (removing
 * it if it is empty).
 * Returns the open fd or a negative errno, after a message on stderr. */
int outfile_create(const char *path);

#endif /* BPFREC_OUTFILE_H */

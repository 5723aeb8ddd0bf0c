/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Finding tracefs, mounting it when needed (it is not mounted by default). */
#ifndef BPFREC_TRACEFS_H
#define BPFREC_TRACEFS_H

/* The tracefs root (with events/), or NULL if none can be found or mounted. */
const char *tracefs_dir(void);

#endif /* BPFREC_TRACEFS_H */

/* ns-gunzip-stream.h: gzip data decompressed as gunzip does: every member, in order, and nothing
 * after. SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define NS_TYPE_GUNZIP_STREAM (ns_gunzip_stream_get_type ())
G_DECLARE_FINAL_TYPE (NsGunzipStream, ns_gunzip_stream, NS, GUNZIP_STREAM, GFilterInputStream)

/* Reads base (positioned at the first gzip member) and gives what its members decompress to, one
 * after another, as `cat a.gz b.gz | gunzip` does; empty members are fine. Bad data is an
 * NS_ERROR_PARSE naming path and the byte of base where it is: a corrupt or truncated member, or
 * data after the last member that does not start another one. Errors of base pass through as
 * they are (G_IO_ERROR_CANCELLED included). */
GInputStream *ns_gunzip_stream_new (GInputStream *base, const char *path);
/* base itself, or ns_gunzip_stream_new over it when it starts with the gzip magic: base (seekable,
 * at its start) is peeked and rewound. *gzip (may be NULL) tells which; NULL when base cannot be
 * read or rewound (error is base's). */
GInputStream *ns_gunzip_stream_new_if_gzip (GInputStream *base, const char *path, gboolean *gzip,
                                            GCancellable *cancellable, GError **error);
/* Whether data starts with the gzip magic (1f 8b): every reader unwraps or refuses it alike. */
gboolean ns_data_is_gzip (const void *data, gsize len);

G_END_DECLS

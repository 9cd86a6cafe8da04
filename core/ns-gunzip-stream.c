/* ns-gunzip-stream.c: a GInputStream that inflates every member of gzip data (multi-member files
 * from `cat a.gz b.gz`, `gzip >>`, bgzip and pigz -i) and refuses data after the last member.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-gunzip-stream.h"
#include "ns-error.h"

#include <string.h>
#include <zlib.h>

#define NS_GUNZIP_INPUT (64 * 1024)

struct _NsGunzipStream {
  GFilterInputStream parent_instance;
  char *path;
  z_stream zlib;
  guint8 *input; /* NS_GUNZIP_INPUT bytes; zlib.next_in points into it */
  guint64 read;  /* bytes read from the base stream */
  guint members; /* members started */
  gboolean in_member;
  gboolean base_eof;
  gboolean done;
};

G_DEFINE_FINAL_TYPE (NsGunzipStream, ns_gunzip_stream, G_TYPE_FILTER_INPUT_STREAM)

/* Offset in the base stream of the next byte zlib would take. */
static guint64
ns_gunzip_offset (const NsGunzipStream *self)
{
  return self->read - self->zlib.avail_in;
}

/* Keeps the unread input at the start of the buffer and reads more behind it. */
static gboolean
ns_gunzip_fill (NsGunzipStream *self, GCancellable *cancellable, GError **error)
{
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (self));
  gssize n;

  if (self->zlib.avail_in > 0)
    memmove (self->input, self->zlib.next_in, self->zlib.avail_in);
  self->zlib.next_in = self->input;
  n = g_input_stream_read (base, self->input + self->zlib.avail_in,
                           NS_GUNZIP_INPUT - self->zlib.avail_in, cancellable, error);
  if (n < 0)
    return FALSE;
  self->base_eof = n == 0;
  self->zlib.avail_in += n;
  self->read += n;
  return TRUE;
}

/* At a member boundary: the end of the data, or the magic of the next member. */
static gboolean
ns_gunzip_start_member (NsGunzipStream *self, GCancellable *cancellable, GError **error)
{
  while (self->zlib.avail_in < 2 && !self->base_eof)
    if (!ns_gunzip_fill (self, cancellable, error))
      return FALSE;
  if (self->zlib.avail_in == 0 && self->members > 0)
    {
      self->done = TRUE;
      return TRUE;
    }
  if (!ns_data_is_gzip (self->zlib.next_in, self->zlib.avail_in))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   self->members > 0 ? "%s: byte %" G_GUINT64_FORMAT
                                       ": expected another gzip member or the end of "
                                       "the file, found other data after the last member"
                                     : "%s: byte %" G_GUINT64_FORMAT
                                       ": expected gzip data (1f 8b), found other data",
                   self->path, ns_gunzip_offset (self));
      return FALSE;
    }
  inflateReset (&self->zlib);
  self->members++;
  self->in_member = TRUE;
  return TRUE;
}

/* One inflate step inside a member; a member's end leaves it. */
static gboolean
ns_gunzip_inflate (NsGunzipStream *self, GCancellable *cancellable, GError **error)
{
  int status;

  if (self->zlib.avail_in == 0 && !self->base_eof && !ns_gunzip_fill (self, cancellable, error))
    return FALSE;
  if (self->zlib.avail_in == 0 && self->base_eof)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: byte %" G_GUINT64_FORMAT ": expected more gzip data, found the end of the "
                   "file (the file is truncated)",
                   self->path, self->read);
      return FALSE;
    }
  status = inflate (&self->zlib, Z_NO_FLUSH);
  if (status == Z_STREAM_END)
    self->in_member = FALSE;
  else if (status != Z_OK && status != Z_BUF_ERROR)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: byte %" G_GUINT64_FORMAT ": expected valid gzip data, found a corrupt "
                   "stream (%s)",
                   self->path, ns_gunzip_offset (self),
                   self->zlib.msg != NULL ? self->zlib.msg : zError (status));
      return FALSE;
    }
  return TRUE;
}

static gssize
ns_gunzip_stream_read (GInputStream *stream, void *buffer, gsize count, GCancellable *cancellable,
                       GError **error)
{
  NsGunzipStream *self = NS_GUNZIP_STREAM (stream);
  uInt want = (uInt) MIN (count, (gsize) G_MAXUINT32);

  self->zlib.next_out = buffer;
  self->zlib.avail_out = want;
  /* Headers, empty members and boundaries give no output: go on until some comes. */
  while (self->zlib.avail_out == want && !self->done)
    if (!(self->in_member ? ns_gunzip_inflate : ns_gunzip_start_member) (self, cancellable, error))
      return -1;
  return want - self->zlib.avail_out;
}

static void
ns_gunzip_stream_finalize (GObject *object)
{
  NsGunzipStream *self = NS_GUNZIP_STREAM (object);

  inflateEnd (&self->zlib);
  g_free (self->input);
  g_free (self->path);
  G_OBJECT_CLASS (ns_gunzip_stream_parent_class)->finalize (object);
}

static void
ns_gunzip_stream_class_init (NsGunzipStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ns_gunzip_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = ns_gunzip_stream_read;
}

static void
ns_gunzip_stream_init (NsGunzipStream *self)
{
  self->input = g_malloc (NS_GUNZIP_INPUT);
  self->zlib.next_in = self->input;
  /* 15 + 16: a gzip wrapper only, the largest window. */
  if (inflateInit2 (&self->zlib, 15 + 16) != Z_OK)
    g_error ("ns-gunzip-stream: zlib could not be initialised (out of memory)");
}

GInputStream *
ns_gunzip_stream_new (GInputStream *base, const char *path)
{
  NsGunzipStream *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (base), NULL);
  self = g_object_new (NS_TYPE_GUNZIP_STREAM, "base-stream", base, NULL);
  self->path = g_strdup (path);
  return G_INPUT_STREAM (self);
}

GInputStream *
ns_gunzip_stream_new_if_gzip (GInputStream *base, const char *path, gboolean *gzip,
                              GCancellable *cancellable, GError **error)
{
  guint8 magic[2] = { 0 };
  gsize got = 0;
  gboolean is_gzip;

  if (!g_input_stream_read_all (base, magic, 2, &got, cancellable, error) ||
      !g_seekable_seek (G_SEEKABLE (base), 0, G_SEEK_SET, cancellable, error))
    return NULL;
  is_gzip = ns_data_is_gzip (magic, got);
  if (gzip != NULL)
    *gzip = is_gzip;
  return is_gzip ? ns_gunzip_stream_new (base, path) : g_object_ref (base);
}

gboolean
ns_data_is_gzip (const void *data, gsize len)
{
  return len >= 2 && memcmp (data, "\x1f\x8b", 2) == 0;
}

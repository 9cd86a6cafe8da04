/* ns-batchnorm-order.c: reading and checking a user's training order (see ns-batchnorm-order.h).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-batchnorm-order.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include "ns-npy-format.h"
#include "ns-reader.h"
#include "ns-safe-text.h"

struct _NsBatchNormOrder {
  char *path;
  gsize n_rows;
  guint n_epochs;
  gsize *rows; /* n_epochs * n_rows */
};

/* At most this much of a bad token is quoted in a message. */
#define NS_ORDER_QUOTE_MAX 40

/* Collects indices epoch after epoch and checks that each epoch is a permutation. */
typedef struct {
  gsize n_rows;
  gsize *rows;
  gsize count;
  gsize allocated;
  guint32 *seen; /* per row: the last epoch (1-based) it appeared in, 0: never */
} NsOrderBuilder;

static void
ns_order_builder_init (NsOrderBuilder *b, gsize n_rows)
{
  *b = (NsOrderBuilder) { .n_rows = n_rows, .seen = g_new0 (guint32, n_rows) };
}

static void
ns_order_builder_clear (NsOrderBuilder *b)
{
  g_free (b->rows);
  g_free (b->seen);
}

static char *
ns_order_out_of_range (const char *index, gsize n_rows)
{
  return g_strdup_printf ("row index %s is out of range: expected 0 to %" G_GSIZE_FORMAT
                          " (the data has %" G_GSIZE_FORMAT " rows)",
                          index, n_rows - 1, n_rows);
}

/* Adds the next index (< n_rows); a problem comes back as a message without its position. */
static char *
ns_order_builder_add (NsOrderBuilder *b, gsize index)
{
  gsize epoch_start = b->count - b->count % b->n_rows;
  guint64 epoch = b->count / b->n_rows + 1;

  if (epoch > G_MAXUINT32)
    return g_strdup_printf ("more than %u epochs", G_MAXUINT32);
  if (b->seen[index] == epoch)
    {
      gsize earlier = epoch_start;

      while (b->rows[earlier] != index)
        earlier++;
      return g_strdup_printf ("row %" G_GSIZE_FORMAT " appears twice in epoch %" G_GUINT64_FORMAT
                              " (already its index %" G_GSIZE_FORMAT "): expected each epoch to "
                              "visit each of the %" G_GSIZE_FORMAT " rows once, as a DataLoader "
                              "with shuffle=True does",
                              index, epoch, earlier - epoch_start, b->n_rows);
    }
  if (b->count == b->allocated)
    {
      b->allocated = MAX (b->allocated * 2, b->n_rows);
      b->rows = g_renew (gsize, b->rows, b->allocated);
    }
  b->seen[index] = (guint32) epoch;
  b->rows[b->count++] = index;
  return NULL;
}

/* A whole number of epochs, at least one. */
static gboolean
ns_order_builder_check_end (const NsOrderBuilder *b, const char *path, GError **error)
{
  if (b->count == 0)
    g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                 "%s: no row index: expected epochs x %" G_GSIZE_FORMAT
                 " row indices, one per line",
                 path, b->n_rows);
  else if (b->count % b->n_rows != 0)
    g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                 "%s: the file ends in epoch %" G_GSIZE_FORMAT " after %" G_GSIZE_FORMAT
                 " of its %" G_GSIZE_FORMAT " rows: expected epochs x %" G_GSIZE_FORMAT
                 " row indices",
                 path, b->count / b->n_rows + 1, b->count % b->n_rows, b->n_rows, b->n_rows);
  else
    return TRUE;
  return FALSE;
}

static NsBatchNormOrder *
ns_order_builder_finish (NsOrderBuilder *b, const char *path)
{
  NsBatchNormOrder *self = g_new0 (NsBatchNormOrder, 1);

  self->path = g_strdup (path);
  self->n_rows = b->n_rows;
  self->n_epochs = (guint) (b->count / b->n_rows);
  self->rows = g_steal_pointer (&b->rows);
  return self;
}

static char *
ns_order_quote (const char *text, gsize len)
{
  g_autofree char *cut = g_strndup (text, MIN (len, NS_ORDER_QUOTE_MAX));

  return ns_safe_text_for_terminal (cut);
}

/* Decimal digits only; FALSE for anything else. Too large a number sets *overflow. */
static gboolean
ns_order_parse_index (const char *start, const char *stop, guint64 *value, gboolean *overflow)
{
  *value = 0;
  *overflow = FALSE;
  for (const char *p = start; p < stop; p++)
    {
      if (*p < '0' || *p > '9')
        return FALSE;
      if (*value > (G_MAXUINT64 - (guint64) (*p - '0')) / 10)
        *overflow = TRUE;
      else
        *value = *value * 10 + (guint64) (*p - '0');
    }
  return TRUE;
}

static gboolean
ns_order_parse_line (NsOrderBuilder *b, const char *path, guint64 line, const char *begin,
                     const char *end, GError **error)
{
  const char *start = begin, *stop = end;
  g_autofree char *problem = NULL, *found = NULL;
  gboolean overflow;
  guint64 value;

  while (start < stop && (*start == ' ' || *start == '\t'))
    start++;
  while (stop > start && (stop[-1] == ' ' || stop[-1] == '\t' || stop[-1] == '\r'))
    stop--;
  if (start == stop)
    return TRUE;
  found = ns_order_quote (start, (gsize) (stop - start));
  if (!ns_order_parse_index (start, stop, &value, &overflow))
    problem = g_strdup_printf ("expected a row index (an integer from 0 to %" G_GSIZE_FORMAT
                               "), found '%s'",
                               b->n_rows - 1, found);
  else if (overflow || value >= b->n_rows)
    problem = ns_order_out_of_range (found, b->n_rows);
  else
    problem = ns_order_builder_add (b, (gsize) value);
  if (problem == NULL)
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_PARSE, "%s:%" G_GUINT64_FORMAT ":%u: %s", path, line,
               (guint) (start - begin) + 1, problem);
  return FALSE;
}

static gboolean
ns_order_parse_text (NsOrderBuilder *b, const char *path, const char *text, gsize len,
                     GError **error)
{
  const char *p = text, *end = text + len;
  guint64 line = 0;

  while (p < end)
    {
      const char *eol = memchr (p, '\n', (gsize) (end - p));

      if (eol == NULL)
        eol = end;
      if (!ns_order_parse_line (b, path, ++line, p, eol, error))
        return FALSE;
      p = eol + 1;
    }
  return ns_order_builder_check_end (b, path, error);
}

static gboolean
ns_order_check_npy_header (const NsNpyHeader *header, const char *path, gsize n_rows,
                           GError **error)
{
  g_autofree char *shape = NULL;

  if (header->kind != 'i' && header->kind != 'u')
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   "%s: dtype '%s': expected an integer dtype for row indices (e.g. int64)", path,
                   header->descr);
      return FALSE;
    }
  if (header->rank == 2 && header->shape[0] >= 1 && header->shape[1] == n_rows)
    return TRUE;
  shape = ns_npy_format_shape (header->shape, header->rank);
  g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
               "%s: shape %s: expected (epochs, %" G_GSIZE_FORMAT "), one row of indices per epoch "
               "for the %" G_GSIZE_FORMAT " rows of the data",
               path, shape, n_rows, n_rows);
  return FALSE;
}

/* One element [epoch, i] of the array, already a double (exact for any index below 2^53). */
static char *
ns_order_add_element (NsOrderBuilder *b, double value)
{
  char text[32];

  if (value >= 0 && value < (double) b->n_rows)
    return ns_order_builder_add (b, (gsize) value);
  g_snprintf (text, sizeof text, "%.0f", value);
  return ns_order_out_of_range (text, b->n_rows);
}

static gboolean
ns_order_read_npy (NsOrderBuilder *b, const char *path, const guint8 *data, gsize len,
                   GError **error)
{
  g_autoptr (NsDataset) array = NULL;
  const double *values;
  NsReadOptions options;
  NsNpyHeader header;

  if (!ns_npy_parse_header (path, data, len, &header, error) ||
      !ns_order_check_npy_header (&header, path, b->n_rows, error))
    return FALSE;
  ns_read_options_init (&options);
  options.axis = "none"; /* one column: every index in C order, epoch after epoch */
  if ((array = ns_npy_read (path, data, len, &options, NULL, error)) == NULL)
    return FALSE;
  values = ns_dataset_get_values (array, ns_dataset_get_feature_column (array, 0));
  for (gsize e = 0; e < header.shape[0]; e++)
    {
      for (gsize i = 0; i < b->n_rows; i++)
        {
          g_autofree char *problem = ns_order_add_element (b, values[e * b->n_rows + i]);

          if (problem != NULL)
            {
              g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                           "%s: element [%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT "]: %s", path, e, i,
                           problem);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static gboolean
ns_order_is_npy (const char *data, gsize len)
{
  return len >= 6 && memcmp (data, "\x93NUMPY", 6) == 0;
}

/* Errors as the data readers word them: "PATH: No such file or directory". */
static gboolean
ns_order_read_file (const char *path, char **contents, gsize *len, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  struct stat st;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0), code = 0;

  if (fd < 0)
    code = errno;
  else if (fstat (fd, &st) != 0 || S_ISDIR (st.st_mode))
    code = S_ISDIR (st.st_mode) ? EISDIR : errno;
  if (fd >= 0)
    close (fd);
  if (code == 0 && g_file_get_contents (path, contents, len, &local_error))
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_IO, "%s: %s", path,
               code != 0 ? g_strerror (code) : local_error->message);
  return FALSE;
}

NsBatchNormOrder *
ns_batchnorm_order_load (const char *path, gsize n_rows, GError **error)
{
  g_autofree char *contents = NULL;
  NsOrderBuilder builder;
  NsBatchNormOrder *self = NULL;
  gboolean ok;
  gsize len;

  g_return_val_if_fail (path != NULL && n_rows >= 1, NULL);
  if (!ns_order_read_file (path, &contents, &len, error))
    return NULL;
  ns_order_builder_init (&builder, n_rows);
  if (ns_order_is_npy (contents, len))
    ok = ns_order_read_npy (&builder, path, (const guint8 *) contents, len, error);
  else
    ok = ns_order_parse_text (&builder, path, contents, len, error);
  if (ok)
    self = ns_order_builder_finish (&builder, path);
  ns_order_builder_clear (&builder);
  return self;
}

void
ns_batchnorm_order_free (NsBatchNormOrder *self)
{
  if (self == NULL)
    return;
  g_free (self->path);
  g_free (self->rows);
  g_free (self);
}

const char *
ns_batchnorm_order_get_path (const NsBatchNormOrder *self)
{
  return self->path;
}
gsize
ns_batchnorm_order_get_n_rows (const NsBatchNormOrder *self)
{
  return self->n_rows;
}
guint
ns_batchnorm_order_get_n_epochs (const NsBatchNormOrder *self)
{
  return self->n_epochs;
}

const gsize *
ns_batchnorm_order_get_epoch (const NsBatchNormOrder *self, guint epoch)
{
  g_return_val_if_fail (epoch >= 1 && epoch <= self->n_epochs, NULL);
  return self->rows + (gsize) (epoch - 1) * self->n_rows;
}

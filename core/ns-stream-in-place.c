/* ns-stream-in-place.c: the moments of an uncompressed CSV file, or of a byte range of it, without
 * a columnar copy.
 *
 * The file is mapped and cut into chunks of whole lines (a chunk holds the lines that start in
 * its bytes, the rule of byte ranges). Worker threads take chunks in order and parse each into
 * small column buffers; whichever thread completes the chunk that is next in file order feeds it,
 * and any completed chunks after it, to the moments. So the moments see the rows in file order,
 * in the same 2048-value blocks as a loaded column, and the result is bit-identical to the
 * in-memory fit, while memory stays at a few chunks' values. There is no barrier between rounds:
 * a thread only waits when it runs more than a window of chunks ahead of the feeding.
 *
 * A line break inside quotes would break the chunk rule, so a chunk with a quoted field that
 * holds one stops the read, and the caller reads the file another way.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-stream-in-place.h"
#include "ns-stream-private.h"
#include "ns-error.h"
#include "ns-file-hash.h"
#include "ns-mapping-guard.h"
#include "ns-threads.h"

#include <fcntl.h>
#include <unistd.h>

#include <string.h>
#include <glib/gstdio.h>

#define NS_IN_PLACE_CHUNK (256 * 1024) /* its parsed values stay in the L2 cache till fed */
#define NS_IN_PLACE_WINDOW 4           /* chunks in flight per thread */
#define NS_IN_PLACE_RELEASE \
  (8 << 20) /* fed bytes given back at once: each release costs the \
             * other cores a TLB flush */

typedef enum {
  NS_CHUNK_PARSING,
  NS_CHUNK_PARSED,
  NS_CHUNK_FAILED,  /* the parse refused it: parsed again for the line numbers */
  NS_CHUNK_REFUSED, /* the parsed callback refused it: its error stands */
  NS_CHUNK_QUOTED,
} NsChunkState;

typedef struct {
  const char *begin, *end; /* the chunk's lines */
  NsCsvRows rows;
  NsChunkState state;
  GError *error;
} NsInPlaceSlot;

typedef struct {
  const NsStreamChunks *run;
  gsize from, to; /* the rows whose line starts here: the data or a range */
  gsize chunk_size;
  guint n_chunks;
  guint window;

  GMutex lock; /* guards everything below */
  GCond fed;
  guint next_claim;
  guint next_feed;
  NsInPlaceSlot *slots; /* chunk k uses slots[k % window] */
  guint64 rows;         /* fed so far */
  const char *released; /* the mapping's pages before it are given back */
  NsInPlaceOutcome outcome;
  guint failed_chunk;
  GError *ready_error; /* the ready callback's refusal */
} NsInPlace;

/* The first line start at or after offset (the end of the data if there is none). */
static const char *
ns_in_place_line_start (const NsInPlace *ip, gsize offset)
{
  const NsStreamChunks *run = ip->run;
  const char *newline;

  if (offset <= run->data_start)
    return run->data + run->data_start;
  if (offset >= run->len)
    return run->data + run->len;
  newline = memchr (run->data + offset - 1, '\n', run->len - offset + 1);
  return newline != NULL ? newline + 1 : run->data + run->len;
}

/* Chunks are cut at line starts, which are record starts unless a quoted field holds a line
 * break. A chunk whose quoted fields all close on their line is safe: if every chunk is, every
 * line start is a record start. (A chunk starting inside such a field may look safe, but the chunk
 * before it is not, and reading stops there, before this one is fed.) */
static gboolean
ns_in_place_lines_are_records (const NsInPlace *ip, const NsInPlaceSlot *slot)
{
  gsize len = slot->end - slot->begin;
  gboolean quoted_newline = FALSE;

  if (memchr (slot->begin, '"', len) == NULL)
    return TRUE;
  return ns_csv_stream_parser_cut (ip->run->parser, slot->begin, len, TRUE, &quoted_newline) ==
           len &&
         !quoted_newline;
}

/* Parses chunk k into slot, then hands it to the parsed callback; the state it returns is
 * published under the lock. */
static NsChunkState
ns_in_place_parse (NsInPlace *ip, NsInPlaceSlot *slot, guint k)
{
  const NsStreamChunks *run = ip->run;
  gsize nominal = ip->from + (gsize) k * ip->chunk_size;

  slot->begin = ns_in_place_line_start (ip, nominal);
  slot->end = ns_in_place_line_start (ip, MIN (nominal + ip->chunk_size, ip->to));
  ns_stream_rows_reset (&slot->rows, ns_csv_stream_parser_get_n_columns (run->parser));
  if (slot->begin >= slot->end)
    return NS_CHUNK_PARSED;
  if (!ns_in_place_lines_are_records (ip, slot))
    return NS_CHUNK_QUOTED;
  if (!ns_csv_stream_parser_parse (run->parser, slot->begin, slot->end - slot->begin, 0,
                                   run->split ? slot->begin - run->data : -1, &slot->rows,
                                   &slot->error))
    return NS_CHUNK_FAILED;
  if (run->parsed != NULL &&
      !run->parsed (k % ip->window, &slot->rows, run->user_data, &slot->error))
    return NS_CHUNK_REFUSED;
  return NS_CHUNK_PARSED;
}

/* With the lock held: hands the parsed chunks that are next in file order to the ready callback. */
static void
ns_in_place_feed_ready (NsInPlace *ip)
{
  const NsStreamChunks *run = ip->run;

  while (ip->outcome == NS_IN_PLACE_DONE && ip->next_feed < ip->next_claim)
    {
      NsInPlaceSlot *slot = &ip->slots[ip->next_feed % ip->window];

      if (slot->state == NS_CHUNK_PARSING)
        return;
      if (slot->state == NS_CHUNK_QUOTED)
        ip->outcome = NS_IN_PLACE_NOT_APPLICABLE;
      else if (slot->state == NS_CHUNK_FAILED || slot->state == NS_CHUNK_REFUSED)
        {
          ip->outcome = NS_IN_PLACE_FAILED;
          ip->failed_chunk = ip->next_feed;
        }
      else if (!run->ready (ip->next_feed % ip->window, &slot->rows, run->user_data,
                            &ip->ready_error))
        ip->outcome = NS_IN_PLACE_FAILED;
      else
        {
          ip->rows += slot->rows.n_rows;
          if (slot->end - ip->released >= NS_IN_PLACE_RELEASE)
            {
              ns_release_mapped_pages (ip->released, slot->end);
              ip->released = slot->end;
            }
          ip->next_feed++;
        }
    }
}

/* Only the calling thread (index 0) reports progress. */
static void
ns_in_place_report (NsInPlace *ip, guint index)
{
  const NsStreamOptions *options = ip->run->options;
  guint64 rows, bytes;

  if (options == NULL || options->progress == NULL || index != 0)
    return;
  g_mutex_lock (&ip->lock);
  rows = ip->rows;
  bytes = MIN ((guint64) ip->next_feed * ip->chunk_size, ip->to - ip->from);
  g_mutex_unlock (&ip->lock);
  options->progress (rows, bytes, ip->to - ip->from, options->progress_data);
}

static void
ns_in_place_work (guint index, gpointer data)
{
  NsInPlace *ip = data;

  g_mutex_lock (&ip->lock);
  for (;;)
    {
      NsInPlaceSlot *slot;
      NsChunkState state;
      guint k;

      while (ip->outcome == NS_IN_PLACE_DONE && ip->next_claim < ip->n_chunks &&
             ip->next_claim >= ip->next_feed + ip->window)
        g_cond_wait (&ip->fed, &ip->lock);
      if (ip->outcome == NS_IN_PLACE_DONE && g_cancellable_is_cancelled (ip->run->cancellable))
        ip->outcome = NS_IN_PLACE_CANCELLED;
      if (ip->outcome != NS_IN_PLACE_DONE || ip->next_claim == ip->n_chunks)
        break;
      k = ip->next_claim++;
      slot = &ip->slots[k % ip->window];
      slot->state = NS_CHUNK_PARSING;
      g_mutex_unlock (&ip->lock);

      state = ns_in_place_parse (ip, slot, k);

      g_mutex_lock (&ip->lock);
      slot->state = state;
      ns_in_place_feed_ready (ip);
      g_cond_broadcast (&ip->fed);
      g_mutex_unlock (&ip->lock);
      ns_in_place_report (ip, index);
      g_mutex_lock (&ip->lock);
    }
  g_cond_broadcast (&ip->fed);
  g_mutex_unlock (&ip->lock);
}

/* The failed chunk's message; a parse error with lines is parsed again now that the lines before
 * it are known. */
static void
ns_in_place_error (NsInPlace *ip, GError **error)
{
  const NsStreamChunks *run = ip->run;
  NsInPlaceSlot *slot = &ip->slots[ip->failed_chunk % ip->window];
  guint64 line_base;

  if (ip->ready_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&ip->ready_error));
      return;
    }
  if (run->split || slot->state == NS_CHUNK_REFUSED)
    {
      g_propagate_error (error, g_steal_pointer (&slot->error));
      return;
    }
  line_base = ns_csv_count_lines (run->data, slot->begin - run->data);
  g_clear_error (&slot->error);
  ns_stream_rows_reset (&slot->rows, ns_csv_stream_parser_get_n_columns (run->parser));
  if (ns_csv_stream_parser_parse (run->parser, slot->begin, slot->end - slot->begin, line_base, -1,
                                  &slot->rows, error))
    g_assert_not_reached ();
}

static void
ns_in_place_run (NsInPlace *ip, guint n_threads)
{
  ns_threads_run (ip->n_chunks > 1 ? n_threads : 1, ns_in_place_work, ip);
}

static void
ns_in_place_clear (NsInPlace *ip)
{
  guint n_columns = ns_csv_stream_parser_get_n_columns (ip->run->parser);

  for (guint i = 0; i < ip->window; i++)
    {
      ns_stream_rows_clear (&ip->slots[i].rows, n_columns);
      g_clear_error (&ip->slots[i].error);
    }
  g_free (ip->slots);
  g_clear_error (&ip->ready_error);
  g_mutex_clear (&ip->lock);
  g_cond_clear (&ip->fed);
}

guint
ns_stream_chunks_n_slots (guint n_threads)
{
  return NS_IN_PLACE_WINDOW * n_threads;
}

NsInPlaceOutcome
ns_stream_chunks_run (const NsStreamChunks *run, guint64 *n_rows, GError **error)
{
  const NsStreamOptions *options = run->options;
  gboolean ranged = options != NULL && options->range_start >= 0;
  NsInPlace ip = {
    .run = run,
    .chunk_size = run->chunk_size > 0 ? run->chunk_size : NS_IN_PLACE_CHUNK,
    .window = ns_stream_chunks_n_slots (run->n_threads),
    .released = run->data,
    .outcome = NS_IN_PLACE_DONE,
  };

  ip.from = ranged ? MAX ((gsize) options->range_start, run->data_start) : run->data_start;
  ip.to = ranged ? MIN ((gsize) options->range_end, run->len) : run->len;
  ip.n_chunks = ip.to > ip.from ? (ip.to - ip.from + ip.chunk_size - 1) / ip.chunk_size : 0;
  ip.slots = g_new0 (NsInPlaceSlot, ip.window);
  for (guint i = 0; i < ip.window; i++)
    {
      ns_stream_rows_init (&ip.slots[i].rows, run->parser);
      if (run->keep_labels)
        ns_stream_rows_keep_labels (&ip.slots[i].rows, run->parser);
    }
  g_mutex_init (&ip.lock);
  g_cond_init (&ip.fed);

  ns_in_place_run (&ip, run->n_threads);
  if (ip.outcome == NS_IN_PLACE_FAILED)
    ns_in_place_error (&ip, error);
  else if (ip.outcome == NS_IN_PLACE_CANCELLED)
    g_set_error (error, NS_ERROR, NS_ERROR_CANCELLED, "%s: reading was cancelled", run->path);
  *n_rows = ip.rows;
  ns_in_place_clear (&ip);
  return ip.outcome;
}

/* What the decisions are taken on. A whole file: all of it, as the in-memory reader takes them.
 * A byte range: the head that reading in blocks takes them on, so that every range of a file
 * decides alike, however it is read. */
static gsize
ns_in_place_head (const char *data, gsize len, gboolean split, gsize block_size)
{
  gsize want = MAX (block_size, NS_STREAM_HEAD_MIN);

  if (!split)
    return len;
  for (;; want *= 2)
    {
      gsize head = MIN (want, len);
      gsize cut = ns_csv_head_cut (data, head, head == len);

      if (cut > 0 || head == len)
        return cut;
    }
}

static gboolean
ns_in_place_feed (guint slot, NsCsvRows *rows, gpointer user_data, GError **error)
{
  ns_stream_feed (user_data, rows->values, rows->n_rows);
  return TRUE;
}

static NsInPlaceOutcome
ns_in_place_read (const char *path, const char *data, gsize len, const NsReadOptions *read_options,
                  const NsScalerOptions *scaler_options, const NsStreamOptions *options,
                  GCancellable *cancellable, NsPartial **partial, guint64 *rows, GError **error)
{
  g_autoptr (NsCsvStreamParser) parser = NULL;
  gsize block_size = options->block_size > 0 ? options->block_size : NS_STREAM_BLOCK_SIZE;
  gboolean split = options->range_start >= 0;
  NsStreamFeeder feeder;
  NsStreamChunks run = {
    .path = path,
    .data = data,
    .len = len,
    .split = split,
    .chunk_size = options->block_size,
    .n_threads = ns_threads_resolve (options->n_threads),
    .ready = ns_in_place_feed,
    .user_data = &feeder,
    .options = options,
    .cancellable = cancellable,
  };
  NsInPlaceOutcome outcome;

  parser = ns_csv_stream_parser_new (path, data, ns_in_place_head (data, len, split, block_size),
                                     read_options, &run.data_start, error);
  if (parser == NULL || !ns_stream_parser_set_weights (parser, path, scaler_options, error))
    return NS_IN_PLACE_FAILED;
  run.parser = parser;
  ns_stream_feeder_init (&feeder, parser, scaler_options, options->approx_quantiles);
  outcome = ns_stream_chunks_run (&run, rows, error);
  if (outcome == NS_IN_PLACE_DONE && *rows == 0)
    outcome = NS_IN_PLACE_NOT_APPLICABLE; /* the other readers word "no data rows" */
  else if (outcome == NS_IN_PLACE_DONE)
    {
      ns_stream_feed_finish (&feeder);
      *partial = g_steal_pointer (&feeder.partial);
    }
  ns_stream_feeder_clear (&feeder);
  return outcome;
}

/* The bytes source.sha256 is of: the file, or the byte range's part of it. */
static GBytes *
ns_in_place_hashed_bytes (GMappedFile *mapping, const NsStreamOptions *options)
{
  g_autoptr (GBytes) whole = g_mapped_file_get_bytes (mapping);
  gsize len = g_bytes_get_size (whole), start, end;

  if (options->range_start < 0)
    return g_steal_pointer (&whole);
  start = MIN ((guint64) options->range_start, len);
  end = MIN ((guint64) options->range_end, len);
  return g_bytes_new_from_bytes (whole, start, end - start);
}

GMappedFile *
ns_stream_map_file (const char *path, NsMappingGuard **guard)
{
  GMappedFile *mapping = NULL;
  struct stat st;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return NULL;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > 0 &&
      (mapping = g_mapped_file_new_from_fd (fd, FALSE, NULL)) != NULL)
    *guard = ns_mapping_guard_new (path, fd, g_mapped_file_get_contents (mapping),
                                   g_mapped_file_get_length (mapping));
  close (fd);
  return mapping;
}

NsInPlaceOutcome
ns_stream_read_in_place (const char *path, const NsReadOptions *read_options,
                         const NsScalerOptions *scaler_options, const NsStreamOptions *options,
                         GCancellable *cancellable, NsPartial **partial, GError **error)
{
  g_autoptr (GMappedFile) mapping = NULL;
  g_autoptr (NsMappingGuard) guard = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GCancellable) hash_cancellable = g_cancellable_new ();
  g_autofree char *sha256 = NULL;
  NsReadOptions default_read;
  NsInPlaceOutcome outcome;
  NsFileHash *hash;
  guint64 rows = 0;
  const char *data;
  gsize len;

  *partial = NULL;
  if (read_options == NULL)
    {
      ns_read_options_init (&default_read);
      read_options = &default_read;
    }
  /* Standard input, pipes and devices cannot be mapped; an error opening the file is left to the
   * other readers, which word it. */
  if ((options->range_start >= 0 && options->range_end < options->range_start) ||
      g_strcmp0 (path, "-") == 0 || (mapping = ns_stream_map_file (path, &guard)) == NULL)
    return NS_IN_PLACE_NOT_APPLICABLE;
  data = g_mapped_file_get_contents (mapping);
  len = g_mapped_file_get_length (mapping);
  if (ns_data_is_gzip (data, len))
    return NS_IN_PLACE_NOT_APPLICABLE;
  bytes = ns_in_place_hashed_bytes (mapping, options);
  hash = ns_file_hash_start (path, bytes, TRUE, options->range_start, options->range_end,
                             options->n_threads != 1, hash_cancellable);
  outcome = ns_in_place_read (path, data, len, read_options, scaler_options, options, cancellable,
                              partial, &rows, error);
  /* Without a result, the hash is not needed. */
  if (outcome != NS_IN_PLACE_DONE)
    g_cancellable_cancel (hash_cancellable);
  sha256 = ns_file_hash_finish (hash);
  if (!ns_mapping_guard_check (guard, error))
    {
      g_clear_pointer (partial, ns_partial_free);
      return NS_IN_PLACE_FAILED;
    }
  if (*partial != NULL)
    ns_partial_set_source (*partial, path, options->range_start,
                           options->range_start >= 0 ? options->range_end : -1, len, sha256, rows);
  return outcome;
}

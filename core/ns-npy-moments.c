/* ns-npy-moments.c: the moments of a .npy array's features read straight from the file's bytes.
 *
 * A moments-only fit (standard, keras, minmax, maxabs) of a large array does not need the columnar
 * copy the loader makes: writing 640 MB of fresh pages costs more than the statistics. The array
 * is read in rounds; in each round the threads summarise whole blocks of NS_MOMENTS_BLOCK values
 * per feature (native float64 rows as they are, anything else through small column buffers), and
 * the blocks are merged in order. Every bit therefore equals the in-memory fit's, whatever the
 * number of threads, and the memory used stays bounded. SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ns-npy-private.h"
#include "ns-npy-reader.h"
#include "ns-error.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "ns-threads.h"

#define NS_NPY_CHUNK_ELEMENTS (1 << 15) /* a unit's values of all features: stays in L2 */
#define NS_NPY_ROUND_ELEMENTS (1 << 22) /* values of all features read per round */
#define NS_NPY_MAX_UNIT (1 << 22)       /* more values per unit: load the array whole instead */
#define NS_NPY_MAX_THREADS 64

/* What every thread reads. A unit is a run of outermost steps (rows) whose values make whole
 * blocks of every feature (except at the end of the array). */
typedef struct {
  const char *path;
  const NsNpyPlan *plan;
  const guint8 *data; /* the first element, when read in place */
  int fd;             /* >= 0: the values are read from this file instead */
  gboolean rows;      /* native float64 rows of n_features */
  gsize n_features;
  gsize per_step;    /* values of one feature per outermost step */
  gsize outer_size;  /* outermost steps in all */
  gsize unit;        /* outermost steps per unit */
  gsize unit_blocks; /* blocks per feature in a whole unit */
} NsNpyScan;

/* The workers stay for the whole scan: starting threads every round cost about 2.5 ms a round
 * here (measured). */
typedef struct {
  GThreadPool *pool; /* NULL with one thread */
  GMutex lock;
  GCond done;
  guint pending;   /* jobs of this round still running in the pool */
  guint next_unit; /* the round's next unit to take (atomic): threads take units
                    * as they go, so a slow core holds up a round by one unit */
} NsNpyWorkers;

typedef struct {
  const NsNpyScan *scan;
  NsNpyWorkers *workers;
  gsize first_unit; /* the round's units, absolute */
  gsize n_units;
  NsMoments *blocks; /* [block][feature], from the round's first unit */
  double *buffer;    /* column buffers for the conversion path */
  guint8 *raw;       /* one unit's bytes, read from the file */
  GError *error;
  gsize error_unit; /* the unit whose reading failed */
} NsNpyJob;

static gsize
ns_npy_unit_steps (const NsNpyScan *scan, gsize unit)
{
  gsize begin = unit * scan->unit;

  return MIN (scan->unit, scan->outer_size - begin);
}

/* Bytes of the storage from the start of a unit. */
static gsize
ns_npy_unit_offset (const NsNpyScan *scan, gsize unit)
{
  const NsNpyDim *outer = &scan->plan->layout.dims[scan->plan->layout.n_dims - 1];
  gsize step_elements = scan->rows ? scan->n_features : outer->src;

  return unit * scan->unit * step_elements * scan->plan->header.itemsize;
}

static gsize
ns_npy_unit_size (const NsNpyScan *scan, gsize unit)
{
  return MIN (ns_npy_unit_offset (scan, unit + 1), scan->plan->header.data_len) -
         ns_npy_unit_offset (scan, unit);
}

/* A unit's bytes: in place, or read from the file into job->raw. A read copies from the page
 * cache at about 6 GB/s here where faulting a mapping's pages in reached 3 GB/s (measured), and
 * it leaves no mapped pages behind. NULL after an error (job->error). */
static const guint8 *
ns_npy_unit_bytes (NsNpyJob *job, gsize unit)
{
  const NsNpyScan *scan = job->scan;
  gsize offset = ns_npy_unit_offset (scan, unit), size = ns_npy_unit_size (scan, unit), done = 0;
  goffset at = (goffset) (scan->plan->header.data_offset + offset);

  if (scan->fd < 0)
    return scan->data + offset;
  while (done < size)
    {
      gssize n = pread (scan->fd, job->raw + done, size - done, at + (goffset) done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_set_error (&job->error, NS_ERROR, NS_ERROR_IO, "%s: byte %" G_GOFFSET_FORMAT ": %s",
                       scan->path, at + (goffset) done,
                       n < 0 ? g_strerror (errno) : "the file ended early (did it change?)");
          return NULL;
        }
      done += (gsize) n;
    }
  return job->raw;
}

/* The next unit of the round for this job (relative to the round's first), or FALSE. */
static gboolean
ns_npy_job_take (NsNpyJob *job, gsize *u)
{
  *u = (gsize) g_atomic_int_add (&job->workers->next_unit, 1);
  return *u < job->n_units;
}

/* Native float64 rows: one unit is one block of rows. */
static void
ns_npy_job_rows (NsNpyJob *job)
{
  const NsNpyScan *scan = job->scan;
  gsize u;

  while (ns_npy_job_take (job, &u))
    {
      gsize unit = job->first_unit + u, rows = ns_npy_unit_steps (scan, unit);
      const double *x = (const double *) ns_npy_unit_bytes (job, unit);

      if (x == NULL)
        {
          job->error_unit = u;
          return;
        }
      ns_moments_summarise_row_blocks (job->blocks + u * scan->unit_blocks * scan->n_features, x,
                                       rows, scan->n_features);
    }
}

/* Any dtype, byte order and kept axes: each unit is converted into column buffers first. */
static void
ns_npy_job_convert (NsNpyJob *job)
{
  const NsNpyScan *scan = job->scan;
  gsize capacity = scan->unit * scan->per_step, itemsize = scan->plan->header.itemsize;
  g_autofree double **cols = g_new (double *, scan->n_features);
  g_autofree NsMoments *column_blocks = g_new (NsMoments, scan->unit_blocks);

  gsize u;

  for (gsize f = 0; f < scan->n_features; f++)
    cols[f] = job->buffer + f * capacity;
  while (ns_npy_job_take (job, &u))
    {
      gsize unit = job->first_unit + u, steps = ns_npy_unit_steps (scan, unit);
      gsize n = steps * scan->per_step, n_blocks = (n + NS_MOMENTS_BLOCK - 1) / NS_MOMENTS_BLOCK;
      const guint8 *src = ns_npy_unit_bytes (job, unit);
      /* The unit is walked as an array of its own, so value offsets start at 0. */
      NsNpyFill fill = { &scan->plan->layout, scan->plan->kernel, src, itemsize, cols };
      NsMoments *blocks = job->blocks + u * scan->unit_blocks * scan->n_features;

      if (src == NULL)
        {
          job->error_unit = u;
          return;
        }
      ns_npy_fill_range (&fill, 0, steps);
      for (gsize f = 0; f < scan->n_features; f++)
        {
          ns_moments_summarise_blocks (column_blocks, cols[f], n);
          for (gsize b = 0; b < n_blocks; b++)
            blocks[b * scan->n_features + f] = column_blocks[b];
        }
    }
}

static void
ns_npy_job_run (NsNpyJob *job)
{
  if (job->scan->rows)
    ns_npy_job_rows (job);
  else
    ns_npy_job_convert (job);
}

static void
ns_npy_pool_run (gpointer data, gpointer unused)
{
  NsNpyJob *job = data;

  ns_npy_job_run (job);
  g_mutex_lock (&job->workers->lock);
  if (--job->workers->pending == 0)
    g_cond_signal (&job->workers->done);
  g_mutex_unlock (&job->workers->lock);
}

gboolean
ns_npy_is_rows (const NsNpyPlan *plan, const guint8 *first)
{
  const NsNpyHeader *h = &plan->header;
  char native = G_BYTE_ORDER == G_LITTLE_ENDIAN ? '<' : '>';

  if (h->kind != 'f' || h->itemsize != 8 || h->byteorder != native || h->fortran_order ||
      (guintptr) first % sizeof (double) != 0)
    return FALSE;
  for (guint k = 0; k < plan->n_kept; k++)
    if (plan->kept[k] != h->rank - plan->n_kept + k)
      return FALSE;
  return TRUE;
}

/* Otherwise units work when the samples are the outermost storage dimension and are reduced: one
 * step of it then covers a contiguous run of every feature's values. */
static gboolean
ns_npy_samples_outermost (const NsNpyPlan *plan, gsize n_features)
{
  const NsNpyDim *outer = &plan->layout.dims[plan->layout.n_dims - 1];

  return outer->col == 0 && outer->dst > 0 &&
         outer->dst * outer->size == plan->header.n_elements / n_features;
}

static gsize
ns_npy_n_features (const NsNpyPlan *plan)
{
  gsize n = 1;

  for (guint k = 0; k < plan->n_kept; k++)
    n *= plan->header.shape[plan->kept[k]];
  return n;
}

static gsize
ns_gcd (gsize a, gsize b)
{
  while (b != 0)
    {
      gsize r = a % b;

      a = b;
      b = r;
    }
  return a;
}

/* FALSE when the array cannot be read in units (see ns_npy_samples_outermost), or when whole
 * blocks would need units too large for a small buffer (an odd number of values per sample). */
static gboolean
ns_npy_scan_init (NsNpyScan *scan, const char *path, const NsNpyPlan *plan, const guint8 *data,
                  int fd, gsize n_features)
{
  *scan =
    (NsNpyScan) { .path = path, .plan = plan, .data = data, .fd = fd, .n_features = n_features };
  scan->rows = ns_npy_is_rows (plan, data);
  if (scan->rows)
    {
      scan->per_step = 1;
      scan->outer_size = plan->header.n_elements / n_features;
      scan->unit = NS_MOMENTS_BLOCK;
    }
  else
    {
      const NsNpyDim *outer = &plan->layout.dims[plan->layout.n_dims - 1];
      /* The fewest steps whose values fill whole blocks, then as many of those as fit the
       * chunk size. */
      gsize whole = NS_MOMENTS_BLOCK / ns_gcd (outer->dst, NS_MOMENTS_BLOCK);
      gsize fit;

      if (!ns_npy_samples_outermost (plan, n_features) ||
          whole * outer->dst > NS_NPY_MAX_UNIT / n_features)
        return FALSE;
      fit = NS_NPY_CHUNK_ELEMENTS / (whole * outer->dst * n_features);
      scan->per_step = outer->dst;
      scan->outer_size = outer->size;
      scan->unit = whole * MAX (1, fit);
    }
  scan->unit_blocks = scan->unit * scan->per_step / NS_MOMENTS_BLOCK;
  return TRUE;
}

static NsPartial *
ns_npy_partial_new (const NsNpyPlan *plan, gsize n_features, const NsScalerOptions *options,
                    gboolean approx_quantiles)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (gsize f = 0; f < n_features; f++)
    g_ptr_array_add (names, ns_dataset_tensor_column_name (n_features, plan->n_kept, f));
  return ns_partial_new (options, approx_quantiles, n_features, (const char *const *) names->pdata,
                         NULL);
}

/* The sketches see every value in order, after the round's blocks. */
static gboolean
ns_npy_sketch_round (NsPartial *partial, NsNpyJob *job, gsize first_unit, gsize n_units)
{
  const NsNpyScan *scan = job->scan;
  gsize capacity = scan->unit * scan->per_step;
  g_autofree double *buffer = g_new (double, capacity * scan->n_features);
  g_autofree double **cols = g_new (double *, scan->n_features);

  for (gsize f = 0; f < scan->n_features; f++)
    cols[f] = buffer + f * capacity;
  for (gsize unit = first_unit; unit < first_unit + n_units; unit++)
    {
      gsize steps = ns_npy_unit_steps (scan, unit), n = steps * scan->per_step;
      const guint8 *src = ns_npy_unit_bytes (job, unit);
      NsNpyFill fill = { &scan->plan->layout, scan->plan->kernel, src, scan->plan->header.itemsize,
                         cols };

      if (src == NULL)
        return FALSE;
      if (scan->rows)
        for (gsize i = 0; i < steps; i++)
          for (gsize f = 0; f < scan->n_features; f++)
            cols[f][i] = ((const double *) src)[i * scan->n_features + f];
      else
        ns_npy_fill_range (&fill, 0, steps);
      for (gsize f = 0; f < scan->n_features; f++)
        ns_sketch_add (ns_partial_get_sketch (partial, f), cols[f], n);
    }
  return TRUE;
}

/* One round: the threads summarise their units' blocks, then they are merged in order. */
static gboolean
ns_npy_round (NsPartial *partial, const NsNpyScan *scan, NsNpyWorkers *workers, NsNpyJob *jobs,
              guint n_threads, gsize first_unit, gsize n_units, NsMoments *blocks, GError **error)
{
  NsNpyJob *failed = NULL;
  gsize n_blocks = 0;

  workers->pending = n_threads - 1;
  workers->next_unit = 0;
  for (guint t = 0; t < n_threads; t++)
    {
      jobs[t].scan = scan;
      jobs[t].workers = workers;
      jobs[t].first_unit = first_unit;
      jobs[t].n_units = n_units;
      jobs[t].blocks = blocks;
      if (t > 0)
        g_thread_pool_push (workers->pool, &jobs[t], NULL);
    }
  ns_npy_job_run (&jobs[0]);
  g_mutex_lock (&workers->lock);
  while (workers->pending > 0)
    g_cond_wait (&workers->done, &workers->lock);
  g_mutex_unlock (&workers->lock);
  /* The error of the earliest unit is reported; the others are dropped. */
  for (guint t = 0; t < n_threads; t++)
    if (jobs[t].error != NULL && (failed == NULL || jobs[t].error_unit < failed->error_unit))
      failed = &jobs[t];
  if (failed != NULL)
    g_propagate_error (error, g_steal_pointer (&failed->error));
  for (guint t = 0; t < n_threads; t++)
    g_clear_error (&jobs[t].error);
  if (failed != NULL)
    return FALSE;

  for (gsize u = 0; u < n_units; u++)
    n_blocks += (ns_npy_unit_steps (scan, first_unit + u) * scan->per_step + NS_MOMENTS_BLOCK - 1) /
                NS_MOMENTS_BLOCK;
  /* Short blocks occur only in the array's last unit, so the round's blocks are contiguous. */
  for (gsize b = 0; b < n_blocks; b++)
    for (gsize f = 0; f < scan->n_features; f++)
      ns_moments_merge (ns_partial_get_moments (partial, f), &blocks[b * scan->n_features + f]);
  if (ns_partial_get_approx_quantiles (partial) &&
      !ns_npy_sketch_round (partial, &jobs[0], first_unit, n_units))
    {
      g_propagate_error (error, g_steal_pointer (&jobs[0].error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
ns_npy_scan (NsPartial *partial, const NsNpyScan *scan, guint n_threads, GCancellable *cancellable,
             const char *path, GError **error)
{
  gsize n_units = (scan->outer_size + scan->unit - 1) / scan->unit;
  gsize unit_values = scan->unit * scan->per_step * scan->n_features;
  gsize round_units = MAX (n_threads, NS_NPY_ROUND_ELEMENTS / MAX (1, unit_values));
  g_autofree NsMoments *blocks =
    g_new (NsMoments, round_units * MAX (1, scan->unit_blocks) * scan->n_features);
  NsNpyJob jobs[NS_NPY_MAX_THREADS] = { { NULL } };
  NsNpyWorkers workers = { NULL };
  gboolean ok = TRUE;

  g_mutex_init (&workers.lock);
  g_cond_init (&workers.done);
  if (n_threads > 1)
    workers.pool = g_thread_pool_new (ns_npy_pool_run, NULL, (gint) n_threads - 1, TRUE, NULL);

  for (guint t = 0; t < n_threads; t++)
    {
      if (!scan->rows)
        jobs[t].buffer = g_new (double, scan->unit * scan->per_step * scan->n_features);
      if (scan->fd >= 0)
        jobs[t].raw = g_malloc (ns_npy_unit_size (scan, 0));
    }
  for (gsize u = 0; u < n_units; u += round_units)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, NS_ERROR, NS_ERROR_CANCELLED, "%s: reading was cancelled", path);
          ok = FALSE;
          break;
        }
      if (!ns_npy_round (partial, scan, &workers, jobs, n_threads, u,
                         MIN (round_units, n_units - u), blocks, error))
        {
          ok = FALSE;
          break;
        }
    }
  if (workers.pool != NULL)
    g_thread_pool_free (workers.pool, FALSE, TRUE);
  g_mutex_clear (&workers.lock);
  g_cond_clear (&workers.done);
  for (guint t = 0; t < n_threads; t++)
    {
      g_free (jobs[t].buffer);
      g_free (jobs[t].raw);
    }
  return ok;
}

/* Fortran order and the like: load the columns, then accumulate them whole. */
static gboolean
ns_npy_partial_from_dataset (NsPartial *partial, const char *path, const guint8 *data, gsize len,
                             const NsReadOptions *read_options, GCancellable *cancellable,
                             GError **error)
{
  g_autoptr (NsDataset) dataset = ns_npy_read (path, data, len, read_options, cancellable, error);

  if (dataset == NULL)
    return FALSE;
  for (guint f = 0; f < ns_partial_get_n_columns (partial); f++)
    {
      const double *values = ns_dataset_get_values (dataset, f);
      gsize n = ns_dataset_get_n_samples (dataset) * ns_dataset_get_spatial_size (dataset);
      NsSketch *sketch = ns_partial_get_sketch (partial, f);

      ns_moments_add (ns_partial_get_moments (partial, f), values, n, 1);
      if (sketch != NULL)
        ns_sketch_add (sketch, values, n);
    }
  return TRUE;
}

NsPartial *
ns_npy_read_partial (const char *path, const guint8 *data, gsize len,
                     const NsReadOptions *read_options, const NsScalerOptions *scaler_options,
                     gboolean approx_quantiles, guint n_threads, int fd, guint64 *n_samples,
                     GCancellable *cancellable, GError **error)
{
  g_autoptr (NsPartial) partial = NULL;
  gsize n_features;
  NsNpyScan scan;
  NsNpyPlan plan;
  gboolean ok;

  if (!ns_npy_plan (path, data, len, read_options, &plan, error))
    return NULL;
  n_features = ns_npy_n_features (&plan);
  *n_samples = plan.header.shape[0];
  partial = ns_npy_partial_new (&plan, n_features, scaler_options, approx_quantiles);
  ns_partial_set_tensor (partial, plan.header.shape, plan.header.rank, plan.kept, plan.n_kept);
  n_threads = MIN (ns_threads_resolve (n_threads), NS_NPY_MAX_THREADS);
  if (ns_npy_scan_init (&scan, path, &plan, data + plan.header.data_offset, fd, n_features))
    ok = ns_npy_scan (partial, &scan, n_threads, cancellable, path, error);
  else
    ok = ns_npy_partial_from_dataset (partial, path, data, len, read_options, cancellable, error);
  return ok ? g_steal_pointer (&partial) : NULL;
}

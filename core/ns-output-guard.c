/* ns-output-guard.c: every output of a command checked against its inputs and its other outputs,
 * and whether it can be written.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-output-guard.h"
#include "ns-output.h"

#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
  char *what;
  char *path;
} NsGuardedOutput;

struct _NsOutputGuard {
  GPtrArray *inputs;  /* char *, the paths as given */
  GPtrArray *outputs; /* NsGuardedOutput * */
};

static void
ns_guarded_output_free (NsGuardedOutput *output)
{
  g_free (output->what);
  g_free (output->path);
  g_free (output);
}

NsOutputGuard *
ns_output_guard_new (void)
{
  NsOutputGuard *self = g_new0 (NsOutputGuard, 1);

  self->inputs = g_ptr_array_new_with_free_func (g_free);
  self->outputs = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_guarded_output_free);
  return self;
}

void
ns_output_guard_free (NsOutputGuard *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->inputs);
  g_ptr_array_unref (self->outputs);
  g_free (self);
}

void
ns_output_guard_add_input (NsOutputGuard *self, const char *path)
{
  if (path != NULL)
    g_ptr_array_add (self->inputs, g_strdup (path));
}

void
ns_output_guard_add_output (NsOutputGuard *self, const char *what, const char *path)
{
  NsGuardedOutput *output;

  if (path == NULL)
    return;
  output = g_new0 (NsGuardedOutput, 1);
  output->what = g_strdup (what);
  output->path = g_strdup (path);
  g_ptr_array_add (self->outputs, output);
}

/* "device:inode"; NULL for a character device, which writing never replaces. */
static char *
identity_of_stat (const struct stat *st)
{
  if (S_ISCHR (st->st_mode))
    return NULL;
  return g_strdup_printf ("%ju:%ju", (uintmax_t) st->st_dev, (uintmax_t) st->st_ino);
}

/* NULL when the input does not exist (its reader says so) or cannot be written over. */
static char *
input_identity (const char *path)
{
  struct stat st;

  if ((strcmp (path, "-") == 0 ? fstat (STDIN_FILENO, &st) : stat (path, &st)) != 0)
    return NULL;
  return identity_of_stat (&st);
}

/* A file not written yet is its name in its folder; in a missing folder (the write will say so),
 * its absolute path. */
static char *
new_file_identity (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *name = g_path_get_basename (path);
  struct stat st;

  if (stat (folder, &st) == 0)
    return g_strdup_printf ("%ju:%ju/%s", (uintmax_t) st.st_dev, (uintmax_t) st.st_ino, name);
  return g_canonicalize_filename (path, NULL);
}

/* Standard output is the file it was redirected to, or else "-", so that naming it twice collides
 * even on a terminal. */
static char *
output_identity (const char *path)
{
  struct stat st;
  char *identity;

  if (strcmp (path, "-") == 0)
    {
      identity = fstat (STDOUT_FILENO, &st) == 0 ? identity_of_stat (&st) : NULL;
      return identity != NULL ? identity : g_strdup ("-");
    }
  if (stat (path, &st) == 0)
    return identity_of_stat (&st);
  return new_file_identity (path);
}

/* "-" is named as stdio_name: standard input or output. */
static const char *
display_name (const char *path, const char *stdio_name)
{
  return strcmp (path, "-") == 0 ? stdio_name : path;
}

static gboolean
check_not_input (const NsOutputGuard *self, GPtrArray *input_ids, const NsGuardedOutput *output,
                 const char *identity, GError **error)
{
  for (guint i = 0; i < self->inputs->len; i++)
    if (g_strcmp0 (g_ptr_array_index (input_ids, i), identity) == 0)
      {
        g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                     "%s: refusing to write over the input file %s",
                     display_name (output->path, "standard output"),
                     display_name (g_ptr_array_index (self->inputs, i), "standard input"));
        return FALSE;
      }
  return TRUE;
}

/* output_ids holds the identities of outputs 0 .. index. */
static gboolean
check_not_earlier_output (const NsOutputGuard *self, GPtrArray *output_ids, guint index,
                          GError **error)
{
  const NsGuardedOutput *output = g_ptr_array_index (self->outputs, index);

  for (guint i = 0; i < index; i++)
    if (g_strcmp0 (g_ptr_array_index (output_ids, i), g_ptr_array_index (output_ids, index)) == 0)
      {
        const NsGuardedOutput *earlier = g_ptr_array_index (self->outputs, i);

        g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT,
                     "%s: %s and %s write the same file: refusing to let one replace the other",
                     display_name (output->path, "standard output"), earlier->what, output->what);
        return FALSE;
      }
  return TRUE;
}

guint
ns_output_guard_get_n_outputs (const NsOutputGuard *self)
{
  return self->outputs->len;
}

const char *
ns_output_guard_get_output (const NsOutputGuard *self, guint index)
{
  const NsGuardedOutput *output = g_ptr_array_index (self->outputs, index);

  return output->path;
}

static gboolean
check_targets (const NsOutputGuard *self, GError **error)
{
  for (guint i = 0; i < self->outputs->len; i++)
    if (!ns_output_check_target (ns_output_guard_get_output (self, i), error))
      return FALSE;
  return TRUE;
}

gboolean
ns_output_guard_check (const NsOutputGuard *self, GError **error)
{
  g_autoptr (GPtrArray) input_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) output_ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < self->inputs->len; i++)
    g_ptr_array_add (input_ids, input_identity (g_ptr_array_index (self->inputs, i)));
  for (guint i = 0; i < self->outputs->len; i++)
    {
      const NsGuardedOutput *output = g_ptr_array_index (self->outputs, i);
      char *identity = output_identity (output->path);

      g_ptr_array_add (output_ids, identity);
      if (identity != NULL && (!check_not_input (self, input_ids, output, identity, error) ||
                               !check_not_earlier_output (self, output_ids, i, error)))
        return FALSE;
    }
  return check_targets (self, error);
}

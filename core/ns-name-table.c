/* ns-name-table.c: names of an enum's values in a NULL-terminated table, looked up by name.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "ns-name-table.h"
#include "ns-error.h"

gboolean
ns_name_table_lookup (const char *what, const char *const *names, const char *name, guint *index,
                      GError **error)
{
  g_autoptr (GString) expected = g_string_new (NULL);
  guint n = g_strv_length ((char **) names);

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (name, names[i]) == 0)
      {
        *index = i;
        return TRUE;
      }
  for (guint i = 0; i < n; i++)
    g_string_append_printf (expected, "%s%s", i == 0 ? "" : i + 1 < n ? ", " : " or ", names[i]);
  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT, "unknown %s '%s' (expected %s)", what,
               name != NULL ? name : "", expected->str);
  return FALSE;
}

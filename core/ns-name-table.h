/* ns-name-table.h: names of an enum's values in a NULL-terminated table, looked up by name.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* name -> its index in names, or an error listing them ("unknown WHAT 'x' (expected a, b or c)").
 */
gboolean ns_name_table_lookup (const char *what, const char *const *names, const char *name,
                               guint *index, GError **error);

G_END_DECLS

/* ns-settings.h: the app's settings (schema io.github.normscope.Normscope), from the installed
 * schemas or, when the app runs uninstalled, from the build tree's compiled one.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* NULL when neither holds the schema: the app then remembers nothing. */
GSettings *ns_settings_new (void);

G_END_DECLS

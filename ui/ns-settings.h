/* ns-settings.h: the application's GSettings, when its schema is installed.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The settings of APP_ID, or NULL when the schema is not found (a build tree run outside
 * `meson devenv`): then nothing is remembered. */
GSettings *ns_settings_new (void);

G_END_DECLS

/* ns-settings.c: the app's GSettings, from the installed schemas or the build tree's.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-settings"
#include "config.h"
#include "ns-settings.h"

/* The schema from the default source ($GSETTINGS_SCHEMA_DIR and XDG_DATA_DIRS), else from the
 * build tree, whose data/ meson compiles on every build. */
static GSettingsSchema *
ns_settings_find_schema (void)
{
  GSettingsSchemaSource *installed = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchemaSource) build = NULL;
  GSettingsSchema *schema = NULL;

  if (installed != NULL)
    schema = g_settings_schema_source_lookup (installed, APP_ID, TRUE);
  if (schema == NULL && g_file_test (NS_BUILD_SCHEMA_DIR "/gschemas.compiled", G_FILE_TEST_EXISTS))
    build =
      g_settings_schema_source_new_from_directory (NS_BUILD_SCHEMA_DIR, installed, FALSE, NULL);
  if (build != NULL)
    schema = g_settings_schema_source_lookup (build, APP_ID, FALSE);
  return schema;
}

GSettings *
ns_settings_new (void)
{
  g_autoptr (GSettingsSchema) schema = ns_settings_find_schema ();

  if (schema == NULL)
    {
      g_debug ("no schema %s installed or in the build tree: nothing is remembered", APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

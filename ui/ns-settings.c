/* ns-settings.c: looks the schema up instead of letting g_settings_new abort without it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ns-settings"
#include "config.h"
#include "ns-settings.h"

GSettings *
ns_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source == NULL || (schema = g_settings_schema_source_lookup (source, APP_ID, TRUE)) == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

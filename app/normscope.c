/* normscope.c: the GUI's entry point: `normscope [FILE…]`.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include "ui/ns-application.h"

int
main (int argc, char **argv)
{
  g_autoptr (NsApplication) application = NULL;

  setlocale (LC_ALL, "");
  g_set_application_name ("normscope");
  application = ns_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}

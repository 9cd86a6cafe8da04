#!/usr/bin/env python3
# test-conventions.py: what users expect of any program: --version without a display, man pages
# that render and list every subcommand, bash completion of subcommands and options.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import subprocess
import sys

BUILD = os.environ["NS_BUILD_ROOT"]
VERSION = sys.argv[1]
PROGRAMS = [p for p in ("normscope-cli", "normscope-dask", "normscope")
            if os.path.exists(os.path.join(BUILD, "app", p))]  # normscope: built with -Dgui
NO_DISPLAY = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
results = []


def check(name, condition, detail=""):
    results.append((name, condition, detail))


def run(command, env=NO_DISPLAY):
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def subcommands():
    """normscope-cli's subcommands, as its --help lists them."""
    text = run([os.path.join(BUILD, "app", "normscope-cli"), "--help"]).stdout
    return re.findall(r"(?m)^  ([a-z]+)  ", text.split("Commands:")[1].split("\n\n")[0])


def test_version():
    for program in PROGRAMS:
        result = run([os.path.join(BUILD, "app", program), "--version"])
        check(f"{program} --version without a display", result.returncode == 0 and
              result.stdout == f"{program} {VERSION}\n", result.stdout + result.stderr)


def test_unknown_option():
    valid = {"normscope-dask": ["fit", "x.csv", "-m", "standard", "-o", "x.json"]}
    for program in PROGRAMS:
        result = run([os.path.join(BUILD, "app", program), *valid.get(program, []), "--frobnicate"])
        check(f"{program} --frobnicate: exit status 2 and a message",
              result.returncode == 2 and "--frobnicate" in result.stderr, result.stderr)


def test_man_pages():
    for program in PROGRAMS:
        result = run(["man", "-l", os.path.join(BUILD, "doc", program + ".1")],
                     env={**NO_DISPLAY, "MANWIDTH": "100"})
        text = result.stdout
        check(f"man -l {program}.1 renders", result.returncode == 0 and result.stderr == "" and
              text.startswith(program.upper() + "(1)") and "SYNOPSIS" in text, result.stderr)
        if program == "normscope-cli":
            commands = subcommands()
            missing = [c for c in commands
                       if not re.search(rf"\n   normscope-cli\s+{c}\s+\[OPTION", text)]
            check("normscope-cli.1 has a section per subcommand", len(commands) >= 9 and not missing,
                  f"missing {missing}")
            check("normscope-cli.1 has each subcommand's options",
                  "--method=METHOD" in text and "--json" in text and "--inverse" in text)
        if program == "normscope-dask":
            check("normscope-dask.1 has fit's options", re.search(r"normscope-dask\s+fit\s+\[-h\]", text) and
                  "--split-size" in text)


def complete(words):
    """What the installed-style completion offers for the command line words (last: the cursor)."""
    script = (f'. "{os.path.join(BUILD, "doc", "normscope-cli")}"; complete -p normscope-cli; '
              'COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); '
              '$(complete -p normscope-cli | sed "s/.*-F \\([^ ]*\\).*/\\1/"); '
              'echo "${COMPREPLY[*]}"')
    result = run(["bash", "--norc", "-c", script, "bash", *words])
    return result.returncode, result.stdout.splitlines()


def test_completion():
    status, lines = complete(["normscope-cli", "fi"])
    check("complete -p normscope-cli", status == 0 and lines[0].startswith("complete ") and
          lines[0].endswith(" normscope-cli"), lines)
    check("normscope-cli fi offers fit", lines[-1:] == ["fit"], lines)
    status, lines = complete(["normscope-cli", "fit", "--me"])
    check("normscope-cli fit --me offers --method", lines[-1:] == ["--method"], lines)
    for command in subcommands():
        status, lines = complete(["normscope-cli", command, "--"])
        check(f"normscope-cli {command} -- offers --help", "--help" in lines[-1].split(), lines)
    status, lines = complete(["normscope-cli", "stats", "data"])
    check("a file argument is left to bash", lines[-1:] == [""], lines)


def main():
    test_version()
    test_unknown_option()
    test_man_pages()
    test_completion()
    print(f"1..{len(results)}")
    for i, (name, condition, detail) in enumerate(results, 1):
        print(f"{'ok' if condition else 'not ok'} {i} - {name}")
        if not condition:
            print(f"# {detail!r}")


if __name__ == "__main__":
    main()

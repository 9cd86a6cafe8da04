#!/usr/bin/env python3
# test-conventions.py: what users expect of any program: --version without a display, man pages
# that render and list every subcommand, bash and zsh completion of subcommands and options,
# progress on a terminal (never on a pipe, nor with --quiet) for every long-running subcommand.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import pty
import random
import re
import shutil
import subprocess
import sys
import tempfile

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


ZSH_STUBS = (  # what the completion offers, printed: _describe's arrays, "_files" for files
    '_describe () { local a; for a in "${@[3,-1]}"; do [[ $a == -- ]] || print -l -- "${(@P)a}"; done }; '
    '_files () { print _files }; ')


def zsh_complete(words):
    """What the generated zsh completion offers for words (last: the word being completed)."""
    script = (ZSH_STUBS + 'words=("$@"); CURRENT=$#; PREFIX=${words[-1]}; '
              f'. "{os.path.join(BUILD, "doc", "_normscope-cli")}"')
    result = run(["zsh", "-f", "-c", script, "zsh", *words])
    return result.returncode, result.stdout.splitlines()


def test_zsh_completion():
    if shutil.which("zsh") is None:
        check("zsh installed (the zsh completion's tests need it)", False)
        return
    folder = os.path.join(BUILD, "doc")
    result = run(["zsh", "-f", "-c", f"fpath=({folder} $fpath); autoload -Uz compinit; "
                  "compinit -D -u; print -- ${_comps[normscope-cli]}"])
    check("compinit registers _normscope-cli for normscope-cli", result.stdout.strip() ==
          "_normscope-cli", result.stdout + result.stderr)
    status, lines = zsh_complete(["normscope-cli", ""])
    offered = {line.split(":")[0] for line in lines}
    check("zsh: the subcommands, described", status == 0 and set(subcommands()) <= offered and
          any(line.startswith("fit:fit a scaler") for line in lines), lines)
    status, lines = zsh_complete(["normscope-cli", "fit", "--me"])
    check("zsh: normscope-cli fit -- offers --method, described",
          any(line.startswith("--method:standard (scikit-learn") for line in lines), lines)
    for command in subcommands():
        status, lines = zsh_complete(["normscope-cli", command, "--"])
        check(f"zsh: normscope-cli {command} -- offers --help", status == 0 and
              any(line.startswith("--help:") for line in lines), lines)
    status, lines = zsh_complete(["normscope-cli", "stats", "data"])
    check("zsh: a file argument completes files", lines == ["_files"], lines)


def stderr_on_a_terminal(args, cwd):
    """normscope-cli's standard error when it is a terminal (a pseudo-terminal here)."""
    leader, follower = pty.openpty()
    result = subprocess.run([os.path.join(BUILD, "app", "normscope-cli"), *args], cwd=cwd,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower,
                            env=NO_DISPLAY, timeout=120)
    os.close(follower)
    text = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the follower is closed and everything has been read
            break
        if not chunk:
            break
        text += chunk
    os.close(leader)
    return result.returncode, text.decode(errors="replace")


def test_progress():
    """Every long-running subcommand draws progress on a terminal, never with --quiet or on a pipe."""
    runs = {
        "fit --stream": ["fit", "big.csv", "-m", "standard", "--stream", "-o", "s.json"],
        "stats --stream": ["stats", "big.csv", "--stream", "-o", "summary.txt"],
        "transform": ["transform", "big.csv", "--stats", "s.json", "-o", "t.csv"],
        "batchnorm": ["batchnorm", "big.csv", "-b", "4", "-o", "bn.json"],
        "plot": ["plot", "big.csv", "-m", "standard,robust", "-o", "p.svg"],
        "plot --batchnorm": ["plot", "big.csv", "--batchnorm", "-b", "4", "-o", "pb.svg"],
        "normalize": ["normalize", "big.csv", "--layer", "layer", "-o", "y.npy"],
        "report": ["report", "big.csv", "-o", "r.json"],
    }
    with tempfile.TemporaryDirectory() as folder:
        rng = random.Random(20)
        with open(os.path.join(folder, "big.csv"), "w") as f:  # 20 MB: read for longer than 1/4 s
            f.write("a,b,c,d\n")
            f.writelines(",".join(repr(rng.gauss(0, 1)) for _ in range(4)) + "\n"
                         for _ in range(250000))
        for name, args in runs.items():
            status, text = stderr_on_a_terminal(args, folder)
            # A line redrawn with \r; under load the first (and only) draw may come before the
            # total is known ("0 rows, 0 bytes read"), so a percentage is not required.
            check(f"{name}: progress on a terminal",
                  status == 0 and "\r" in text and ("%" in text or " read" in text),
                  text[-300:])
            status, text = stderr_on_a_terminal([*args, "--quiet"], folder)
            check(f"{name} --quiet: nothing on the terminal", status == 0 and text == "", text[-300:])
            result = subprocess.run([os.path.join(BUILD, "app", "normscope-cli"), *args], cwd=folder,
                                    capture_output=True, text=True, env=NO_DISPLAY, timeout=120)
            check(f"{name}: no progress on a pipe", result.returncode == 0 and result.stderr == "",
                  result.stderr[-300:])


def main():
    test_version()
    test_unknown_option()
    test_man_pages()
    test_completion()
    test_zsh_completion()
    test_progress()
    print(f"1..{len(results)}")
    for i, (name, condition, detail) in enumerate(results, 1):
        print(f"{'ok' if condition else 'not ok'} {i} - {name}")
        if not condition:
            print(f"# {detail!r}")


if __name__ == "__main__":
    main()

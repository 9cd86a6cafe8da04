#!/usr/bin/env python3
# ns-gen-docs.py: a man page or a bash or zsh completion generated from a built program's --help
# texts.
# SPDX-License-Identifier: GPL-3.0-or-later
"""Usage: ns-gen-docs.py man PROGRAM VERSION OUTPUT
          ns-gen-docs.py bash PROGRAM OUTPUT
          ns-gen-docs.py zsh PROGRAM OUTPUT

The --help texts (GOption's or argparse's) are the one source of the options and subcommands:
PROGRAM --help, then PROGRAM COMMAND --help for each command its help lists."""

import os
import re
import subprocess
import sys

ENTRY = re.compile(r"^( +)(\S(?:.*?\S)?)(?: {2,}(\S.*))?$")
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z0-9][\w-]*)")
COMMAND = re.compile(r"^[a-z][a-z-]*$")


def help_text(program, *args):
    # A build tool: a sanitized build's leak report (the tests' business) must not fail the build.
    env = dict(os.environ, LC_ALL="C.UTF-8", COLUMNS="100", ASAN_OPTIONS="detect_leaks=0")
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    result = subprocess.run([program, *args, "--help"], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"ns-gen-docs: {program} {' '.join(args)} --help failed: {result.stderr}")
    return result.stdout


def parse(text):
    """[(heading, [paragraph lines] or [[term, description]])]; the usage line is its own section."""
    sections = [["", []]]
    for line in text.splitlines():
        if re.match(r"(?i)usage:", line):
            rest = line.split(":", 1)[1].strip()
            sections.append(["Usage", [rest] if rest else []])
        elif line and not line[0].isspace() and line.endswith(":"):
            sections.append([line[:-1], []])
        elif line.strip():
            if not line[0].isspace() and sections[-1][0] != "":
                sections.append(["", []])  # text after a list or the usage line
            add_line(sections[-1], line)
        elif sections[-1][1] and sections[-1][0] == "":
            sections[-1][1].append("")
    return [s for s in sections if s[1]]


def add_line(section, line):
    heading, items = section
    if heading in ("", "Usage"):
        items.append(line.strip())
        return
    match = ENTRY.match(line)
    indent = len(match.group(1))
    if items and indent >= 10 and (not line.strip().startswith("-") or items[-1][1] == ""):
        items[-1][1] = (items[-1][1] + " " + line.strip()).strip()  # a wrapped description
    elif not match.group(2).startswith("{"):
        items.append([match.group(2), match.group(3) or ""])


def commands(sections):
    """The subcommands a top-level help lists (GOption 'Commands:', argparse's subparsers)."""
    return [term for heading, items in sections
            if heading in ("Commands", "positional arguments") for term, _ in items
            if COMMAND.match(term)]


def described_commands(sections):
    return [(term, description) for heading, items in sections
            if heading in ("Commands", "positional arguments") for term, description in items
            if COMMAND.match(term)]


def described_options(sections):
    """[(option, description)]: each spelling of an option ("-d", "--delimiter") on its own."""
    return [(name, description) for heading, items in sections if heading not in ("", "Usage")
            for term, description in items if not COMMAND.match(term)
            for name in OPTION.findall(term)]


def options(sections):
    return [name for name, _ in described_options(sections)]


def roff(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text[:1] in (".", "'") else text


def top_heading(heading, first):
    if heading == "" and not first:
        return [".PP"]  # text after the option list (the exit status) stays in its section
    return [f'.SH "{roff(heading.upper() or "DESCRIPTION")}"']


def sub_heading(heading, first):
    return [".PP", f"\\fI{roff(heading)}:\\fR"] if heading else []


def man_sections(sections, heading_lines):
    """The sections of one help text; heading_lines renders a heading ("" for the text on top)."""
    out = []
    for index, (heading, items) in enumerate(sections):
        if heading == "Usage":
            continue
        out += heading_lines(heading, index <= 1)
        if heading == "":
            out += [".PP" if line == "" else roff(line) for line in items]
            continue
        for term, description in items:
            out += [".TP", f"\\fB{roff(term)}\\fR", roff(description)]
    return out


def first_sentence(lines):
    """The NAME line: the first paragraph's text up to its first '.' or ':'."""
    paragraph = " ".join(lines[:lines.index("")] if "" in lines else lines)
    return re.split(r"[.:](?:\s|$)", paragraph)[0]


def man_page(program, version):
    name = os.path.basename(program)
    top = parse(help_text(program))
    summary = first_sentence(next(items for heading, items in top if heading == ""))
    out = [f'.TH {name.upper()} 1 "" "normscope {version}" "User Commands"', ".SH NAME",
           f"{roff(name)} \\- {roff(summary)}", ".SH SYNOPSIS"]
    for heading, items in top:
        if heading == "Usage":
            out += [f"\\fB{roff(line)}\\fR\n.br" for line in items]
    out += man_sections(top, top_heading)
    subcommands = commands(top)
    if subcommands:
        out.append(".SH SUBCOMMANDS")
    for command in subcommands:
        sub = parse(help_text(program, command))
        usage = next(" ".join(items) for heading, items in sub if heading == "Usage")
        out += [f'.SS "{roff(usage)}"'] + man_sections(sub, sub_heading)
    return "\n".join(out) + "\n"


def bash_completion(program):
    name = os.path.basename(program)
    function = "_" + re.sub(r"\W", "_", name)
    top = parse(help_text(program))
    cases = [f'    {command}) words="{" ".join(options(parse(help_text(program, command))))}" ;;'
             for command in commands(top)]
    return "\n".join([
        f"# bash completion for {name}: generated by ns-gen-docs.py from its --help texts.",
        f"{function} () {{",
        "  local cur=${COMP_WORDS[COMP_CWORD]} words",
        "  if [ \"$COMP_CWORD\" -eq 1 ]; then",
        f'    words="{" ".join(commands(top) + options(top))}"',
        "  else",
        "    [[ $cur == -* ]] || return 0  # a file or a value: bash's default completion",
        "    case ${COMP_WORDS[1]} in",
        *cases,
        "    *) return 0 ;;",
        "    esac",
        "  fi",
        "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))",
        "}",
        f"complete -o default -F {function} {name}",
        ""])


def zsh_quote(name, description):
    """A 'name:description' word for _describe, in single quotes (colons in the name escaped)."""
    word = name.replace(":", "\\:") + ":" + description
    return "'" + word.replace("'", "'\\''") + "'"


def zsh_array(name, pairs, indent):
    lines = [f"{indent}{name}=("] + [f"{indent}  {zsh_quote(*pair)}" for pair in pairs]
    return lines + [f"{indent})"]


def zsh_completion(program):
    name = os.path.basename(program)
    function = "_" + re.sub(r"\W", "_", name)
    top = parse(help_text(program))
    cases = []
    for command in commands(top):
        pairs = described_options(parse(help_text(program, command)))
        cases += [f"    {command})"] + zsh_array("options", pairs, "      ") + ["      ;;"]
    return "\n".join([
        f"#compdef {name}",
        f"# zsh completion for {name}: generated by ns-gen-docs.py from its --help texts, as the",
        "# bash completion is.",
        f"{function} () {{",
        "  local -a commands options",
        "  if (( CURRENT == 2 )); then",
        *zsh_array("commands", described_commands(top), "    "),
        *zsh_array("options", described_options(top), "    "),
        f"    _describe -t commands '{name} command' commands -- options",
        "    return",
        "  fi",
        "  case $words[2] in",
        *cases,
        "    *) _files; return ;;",
        "  esac",
        "  if [[ $PREFIX == -* ]]; then",
        "    _describe -t options option options",
        "  else",
        "    _files  # a file or a value",
        "  fi",
        "}",
        f'{function} "$@"',
        ""])


def main(argv):
    if len(argv) == 5 and argv[1] == "man":
        text = man_page(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "bash":
        text = bash_completion(argv[2])
    elif len(argv) == 4 and argv[1] == "zsh":
        text = zsh_completion(argv[2])
    else:
        sys.exit(__doc__)
    with open(argv[-1], "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main(sys.argv)

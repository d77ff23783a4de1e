#!/usr/bin/env python3
"""Writes templates/builtin/released.txt: the SHA-256 of every body each built-in template and
the default playbook have had in this repository's history, working tree included.

At start, pheu brings a shop's built-in template (or playbook) up to the pack it ships when
the stored one is one of these: the shop never edited it. Run this after changing a file of
templates/builtin/ (a unit test says so when it is needed):
    python3 scripts/released_pack.py
"""
import hashlib
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACK = "templates/builtin"


def git(*args):
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True).stdout


def body_hash(text):
    # As templates/builtin_pack.cpp stores it: without its final newlines.
    return hashlib.sha256(text.rstrip("\r\n").encode()).hexdigest()


def playbook_hash(text):
    # As the seed stores it: nlohmann's dump(), compact, keys sorted, UTF-8 unescaped.
    document = json.loads(text)
    dumped = json.dumps(document, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(dumped.encode()).hexdigest()


def entries_of(files):
    """files: {name: text}"""
    entries = set()
    for name, text in files.items():
        if name.endswith(".mustache"):
            entries.add((name[: -len(".mustache")], body_hash(text)))
        elif name == "playbook.json":
            try:
                entries.add(("playbook.json", playbook_hash(text)))
            except json.JSONDecodeError:
                pass
    return entries


def main():
    entries = set()
    for commit in git("log", "--format=%H", "--", PACK).decode().split():
        names = git("ls-tree", "--name-only", commit, PACK + "/").decode().split()
        files = {}
        for path in names:
            name = path.rsplit("/", 1)[-1]
            if name.endswith(".mustache") or name == "playbook.json":
                files[name] = git("show", f"{commit}:{path}").decode()
        entries |= entries_of(files)
    current = {p.name: p.read_text() for p in (ROOT / PACK).iterdir()
               if p.name.endswith(".mustache") or p.name == "playbook.json"}
    entries |= entries_of(current)
    lines = [f"{name} {digest}" for name, digest in sorted(entries)]
    out = ROOT / PACK / "released.txt"
    out.write_text("# What each built-in template and the playbook have been: written by\n"
                   "# scripts/released_pack.py, never by hand.\n" + "\n".join(lines) + "\n")
    print(f"{out.relative_to(ROOT)}: {len(lines)} released bodies", file=sys.stderr)


if __name__ == "__main__":
    main()

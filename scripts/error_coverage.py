#!/usr/bin/env python3
"""Lists the error messages in src/ and apps/ that no test asserts.

A message is a string literal passed to Error(...) or UsageError(...) (directly or through fmt::format); it counts
as asserted when the longest literal piece between its {} placeholders (at least 8 characters) occurs in a file
under tests/ or web/test/. Internal invariants, which no input can reach, are listed in scripts/error_internal.txt
with the reason and are not counted. Prints the uncovered messages and a summary line; with --max N, exits 1 when
more than N user-reachable messages are uncovered (CI keeps the number from growing).
"""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
pattern = re.compile(r'(?:UsageError|Error)\(\s*(?:[A-Za-z_][\w.:>()-]*,\s*\w+,\s*)?(?:fmt::format\(\s*)?"((?:[^"\\]|\\.){10,})"')


def pieces(message):
    parts = re.split(r"\{[^}]*\}|\\n|\\\"", message)
    return sorted((p.strip() for p in parts), key=len, reverse=True)


def main():
    limit = None
    if len(sys.argv) == 3 and sys.argv[1] == "--max":
        limit = int(sys.argv[2])
    messages = set()
    for folder in ("src", "apps"):
        for path in (root / folder).rglob("*.cpp"):
            for m in pattern.finditer(path.read_text(errors="replace")):
                messages.add(m.group(1))
    internal = set()
    internal_file = root / "scripts" / "error_internal.txt"
    if internal_file.exists():
        for line in internal_file.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                internal.add(line.split("\t")[0])
    corpus = []
    for folder in ("tests", "web/test"):
        for path in (root / folder).rglob("*"):
            if path.is_file() and path.suffix in (".cpp", ".hpp", ".mjs", ".js", ".sh", ".txt"):
                # Adjacent string literals split over lines ("abc "\n  "def") are one string to the compiler.
                corpus.append(re.sub(r'"\s*\n\s*"', "", path.read_text(errors="replace")))
    text = "\n".join(corpus)
    uncovered = []
    reachable = 0
    for message in sorted(messages):
        if any(message.startswith(i) for i in internal):
            continue
        reachable += 1
        piece = next((p for p in pieces(message) if len(p) >= 8), None)
        if piece is None or piece not in text:
            uncovered.append(message)
    for message in uncovered:
        print(message)
    print(f"{reachable - len(uncovered)} of {reachable} user-reachable error messages asserted by a test "
          f"({len(internal)} internal invariants listed apart)")
    if limit is not None and len(uncovered) > limit:
        print(f"more than {limit} uncovered: add tests for the new messages", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
